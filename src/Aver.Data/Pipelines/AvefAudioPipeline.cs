using Aver.Features;
using Aver.Features.Avef;
using Aver.Features.Cache;
using Aver.Features.Vad;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Data.Pipelines;

/// <summary>
/// A clip's AVEF audio input after segment selection: stacks [S, 3, 64, 64] (log-mel, delta,
/// delta-delta), each kept segment's [start, end) (the face frames of a segment follow its time span),
/// which of the clip's <see cref="TotalSegments"/> segments were kept, and each segment's speech fraction.
/// </summary>
public sealed record AvefClipAudio(Tensor Stacks, TimeInterval[] Times, int[] Kept, int TotalSegments, double[] SpeechFractions)
{
    /// <summary>Segments kept (S).</summary>
    public int Count => Times.Length;
}

/// <summary>
/// Clip -> AVEF audio segments (§2.1.1): 64 x 64 x 3 log-mel + delta stacks every 340 ms
/// (<see cref="AvefAudio"/>). Case 1 (<see cref="SilenceHandling.KeepAll"/>) keeps every segment;
/// case 2 (<see cref="SilenceHandling.DropSilent"/>, §4.3.1) runs the VAD (<see cref="SohnVad"/>; the
/// paper's MRCG-DNN VAD is not available, Sohn's statistical VAD stands in) and drops segments whose
/// speech fraction is below <see cref="MinSpeechFraction"/>, so their face frames go too. With a
/// <see cref="FeatureCache"/>, segments and VAD decisions are computed once per clip and parameter set.
/// </summary>
public sealed class AvefAudioPipeline(AvefAudioOptions? options = null, SilenceHandling handling = SilenceHandling.KeepAll,
    double minSpeechFraction = 0.5, FeatureCache? cache = null, SohnVadOptions? vad = null, bool standardize = false)
{
    /// <summary>
    /// Whether each of the three planes (log-mel, delta, delta-delta) is standardised to zero mean and unit
    /// variance over the clip's kept segments. The paper feeds the raw stacks to a pre-trained AlexNet;
    /// training from scratch on a CPU converges much faster on standardised inputs.
    /// </summary>
    public bool Standardize { get; } = standardize;

    public AvefAudioOptions Options { get; } = options ?? new AvefAudioOptions();
    public SilenceHandling Handling { get; } = handling;
    public double MinSpeechFraction { get; } = minSpeechFraction is >= 0 and <= 1 ? minSpeechFraction
        : throw new ArgumentOutOfRangeException(nameof(minSpeechFraction), minSpeechFraction, "the minimum speech fraction must be in [0, 1]");
    public SohnVadOptions Vad { get; } = vad ?? new SohnVadOptions();
    public FeatureCache? Cache { get; } = cache;

    /// <summary>Shape of one segment: [3, mels, frames].</summary>
    public int[] SegmentShape => [3, Options.Mels, Options.FramesPerSegment];

    /// <summary>The selected segments of the clip at <paramref name="path"/> (any container ffmpeg reads; its audio track).</summary>
    public AvefClipAudio Segments(string path)
    {
        AudioBuffer? audio = null;
        AudioBuffer Read(string p) => audio ??= MediaDecoder.ReadAudio(p);
        var all = Cache?.Avef(path, Options, Read) ?? AvefAudio.Compute(Read(path), Options);
        if (Handling == SilenceHandling.KeepAll)
            return Finish(new AvefClipAudio(all.Stacks, all.Times, Enumerable.Range(0, all.Count).ToArray(), all.Count, []));
        var decisions = Cache?.Vad(path, Vad, Options, Read) ?? SohnVad.Detect(Read(path), Vad, Options);
        return Finish(Select(all, decisions));
    }

    /// <summary>Case 1 or 2 applied to <paramref name="audio"/> directly (generated signals, tests).</summary>
    public AvefClipAudio Segments(AudioBuffer audio)
    {
        var all = AvefAudio.Compute(audio, Options);
        if (Handling == SilenceHandling.KeepAll)
            return Finish(new AvefClipAudio(all.Stacks, all.Times, Enumerable.Range(0, all.Count).ToArray(), all.Count, []));
        return Finish(Select(all, SohnVad.Detect(audio, Vad, Options)));
    }

    private AvefClipAudio Select(AvefAudioSegments all, byte[] decisions)
    {
        var s = SegmentSelection.Apply(all, decisions, Handling, MinSpeechFraction);
        return new AvefClipAudio(s.Segments.Stacks, s.Segments.Times, s.Kept, all.Count, s.SpeechFractions);
    }

    private AvefClipAudio Finish(AvefClipAudio clip) => Standardize ? clip with { Stacks = StandardizePlanes(clip.Stacks) } : clip;

    /// <summary>A copy of stacks [S, P, H, W] with each plane p standardised over all S segments (a constant plane becomes 0).</summary>
    public static Tensor StandardizePlanes(Tensor stacks)
    {
        if (stacks.Rank != 4) throw new ShapeException($"StandardizePlanes: expects stacks [S, P, H, W], got {ShapeMath.Format(stacks.Shape)}");
        int s = stacks.Dim(0), planes = stacks.Dim(1), area = stacks.Dim(2) * stacks.Dim(3);
        var output = new Tensor(stacks.Shape.ToArray());
        for (int p = 0; p < planes; p++)
        {
            double sum = 0, sq = 0;
            for (int i = 0; i < s; i++)
                foreach (float v in stacks.Data.AsSpan((i * planes + p) * area, area)) { sum += v; sq += (double)v * v; }
            long n = (long)s * area;
            double mean = sum / n, std = Math.Sqrt(Math.Max(0, sq / n - mean * mean));
            float scale = std > 1e-6 ? (float)(1 / std) : 0f;
            for (int i = 0; i < s; i++)
            {
                var src = stacks.Data.AsSpan((i * planes + p) * area, area);
                var dst = output.Data.AsSpan((i * planes + p) * area, area);
                System.Numerics.Tensors.TensorPrimitives.Subtract(src, (float)mean, dst);
                System.Numerics.Tensors.TensorPrimitives.Multiply(dst, scale, dst);
            }
        }
        return output;
    }

    /// <summary>The settings as one line (reports, cache keys).</summary>
    public override string ToString() =>
        $"AVEF audio {Options.Mels}x{Options.FramesPerSegment}x3{(Standardize ? " standardised per clip" : "")}, {(Handling == SilenceHandling.KeepAll ? "case 1 (all segments)" : $"case 2 (VAD, speech >= {MinSpeechFraction:0.##})")}";
}
