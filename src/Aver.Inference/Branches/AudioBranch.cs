using Aver.Features;
using Aver.Features.Vad;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features.Mrpn;
using Aver.Models.Calibration;
using Aver.Media;
using Aver.Models.Mrpn;
using Aver.Tensors;

namespace Aver.Inference.Branches;

/// <summary>
/// The audio branch: MRPN's audio-modality network (AM, Table 1) over the clip's 1-s spectrogram segments
/// (every 0.2 s, MRPN §4.4), average-pooled by <see cref="Pool"/> as in training. The clip's label comes from the whole
/// sequence; each timeline window is the sequence of segments whose centre lies in it. Logits are divided by the
/// calibrated <see cref="Temperature"/> before the softmax.
/// </summary>
public sealed class AudioBranch : IAudioBranch
{
    public const string BranchName = "audio";

    public AudioBranch(UnimodalNetwork network, LabelSpace labels, int pool, float temperature, MrpnAudioOptions? features = null)
    {
        Network = network;
        Labels = labels;
        Pool = pool >= 1 ? pool : throw new ArgumentOutOfRangeException(nameof(pool), pool, "pool factor must be at least 1");
        Temperature = temperature > 0 ? temperature : throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        Features = features ?? new MrpnAudioOptions();
        Network.Eval();
    }

    public UnimodalNetwork Network { get; }
    public LabelSpace Labels { get; }
    public int Pool { get; }
    public float Temperature { get; }
    public MrpnAudioOptions Features { get; }
    public int SampleRate => Features.SampleRate;

    public string Describe() => $"MRPN AM on 1-s spectrogram segments pooled by {Pool}";

    public void Warm()
    {
        var segments = Pooled(MrpnAudio.Segments(new float[Features.SegmentSamples], (0, 1), Features, 0));
        Aggregate(StepFeatures(segments.Spectrograms).Data, segments.Count);
    }

    /// <summary>Recordings longer than this are cut into slices of this length for the front end (bounded memory).</summary>
    private const double SliceSeconds = 60;

    /// <summary>
    /// Pooled segments [S, 1, H, W] of <paramref name="audio"/> and their times. A long recording goes through the
    /// front end a minute at a time (the standardisation still over the whole clip, MRPN §4.4 item 3; slices start on
    /// the segments' hop, so the segments are the same), pooled before the next, so its full-resolution spectrograms
    /// (1 MB a segment) are never all in memory; only the STFT frames at a slice's two edges see its padding.
    /// </summary>
    public MrpnAudioSegments Segments(AudioBuffer audio)
    {
        double segment = (double)Features.SegmentSamples / Features.SampleRate, hop = (double)Features.SegmentHopSamples / Features.SampleRate;
        if (audio.Duration <= 2 * SliceSeconds) return Pooled(MrpnAudio.Compute(audio, Features));
        var spectrograms = new List<Tensor>();
        var times = new List<TimeInterval>();
        for (double start = 0; start + segment <= audio.Duration + 1e-9; start += SliceSeconds)
        {
            // The slice holds every segment that starts in [start, start + SliceSeconds).
            var part = Pooled(MrpnAudio.Compute(audio, Features, new TimeInterval(start, Math.Min(audio.Duration, start + SliceSeconds - hop + segment))));
            int keep = Math.Min(part.Times.Length, (int)Math.Round(SliceSeconds / hop));
            spectrograms.Add(keep == part.Times.Length ? part.Spectrograms : part.Spectrograms.Reshape(part.Times.Length, -1)
                .IndexSelect(0, Enumerable.Range(0, keep).ToArray()).Reshape([keep, .. part.Spectrograms.Shape[1..]]));
            times.AddRange(part.Times.Take(keep));
        }
        return new MrpnAudioSegments(Tensor.Concat(spectrograms, 0), times.ToArray());
    }

    /// <summary>Segments average-pooled by <see cref="Pool"/>, as the network was trained on them.</summary>
    public MrpnAudioSegments Pooled(MrpnAudioSegments seg)
    {
        if (Pool == 1) return seg;
        using (GradMode.NoGrad()) return seg with { Spectrograms = seg.Spectrograms.AvgPool2d(Pool) };
    }

    /// <summary>Raw scores [N, classes] of padded segment sequences [N, T, 1, H, W].</summary>
    public float[] Logits(SequenceBatch batch)
    {
        using var _ = GradMode.NoGrad();
        return Network.Forward(batch.Steps, batch.Lengths).Data;
    }

    /// <summary>Windows aggregated at once (bounds the memory of a long recording's timeline).</summary>
    private const int WindowBatch = 64;

    /// <summary>Segments through the extractor at once (bounds the memory of a long recording).</summary>
    private const int ExtractorBatch = 256;

    /// <summary>Extractor features [S, D] of pooled segments [S, 1, H, W], in batches (evaluation mode: each segment's features are its own).</summary>
    public Tensor StepFeatures(Tensor segments)
    {
        using var _ = GradMode.NoGrad();
        int s = segments.Dim(0);
        var parts = new List<Tensor>();
        for (int first = 0; first < s; first += ExtractorBatch)
        {
            int n = Math.Min(ExtractorBatch, s - first);
            var chunk = segments.Reshape(s, -1).IndexSelect(0, Enumerable.Range(first, n).ToArray()).Reshape([n, .. segments.Shape[1..]]);
            parts.Add(Network.Branch.Extractor.Features(chunk));
        }
        return parts.Count == 1 ? parts[0] : Tensor.Concat(parts, 0);
    }

    /// <summary>
    /// The run [first, end) of segments whose centre lies in <paramref name="window"/>, from the segments' centres in
    /// increasing order: a timeline window's segments, for a file (<see cref="Run"/>) and a live stream alike.
    /// </summary>
    public static (int First, int End) CentredIn(IReadOnlyList<double> centres, TimeInterval window) =>
        (FirstAtOrAfter(centres, window.Start), FirstAtOrAfter(centres, window.End));

    private static int FirstAtOrAfter(IReadOnlyList<double> sorted, double t)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi) { int mid = (lo + hi) / 2; if (sorted[mid] < t) lo = mid + 1; else hi = mid; }
        return lo;
    }

    /// <summary>Temperature-scaled probabilities of row <paramref name="row"/> of <paramref name="logits"/>.</summary>
    private ClassProbabilities Probabilities(float[] logits, int row)
    {
        int c = Labels.Count;
        var p = new float[c];
        TemperatureScaling.Softmax(logits.AsSpan(row * c, c), Temperature, p);
        return new ClassProbabilities(Labels, p);
    }

    /// <summary>The probabilities of one sequence of <paramref name="steps"/> segments' extractor features ([steps, D] row-major).</summary>
    public ClassProbabilities Aggregate(ReadOnlySpan<float> features, int steps)
    {
        using var _ = GradMode.NoGrad();
        var x = new Tensor(1, steps, features.Length / steps);
        features.CopyTo(x.Data);
        return Probabilities(Network.ScoresFromStepFeatures(x, null).Data, 0);
    }

    /// <summary>Runs the branch on <paramref name="audio"/> for the clip and for each of <paramref name="windows"/>.</summary>
    public BranchOutput Run(AudioBuffer audio, IReadOnlyList<TimeInterval> windows)
    {
        if (SpeechPresence.Check(audio) is { HasSpeech: false } silent)
            return BranchOutput.Without(BranchName, BranchStatus.Silent, windows.Count, silent.Reason!);
        var seg = Segments(audio);
        using var _ = GradMode.NoGrad();
        // Each segment through the extractor once; the clip and every window aggregate those features, so
        // memory and work grow with the segments, never with windows x segments (a long recording, a fine step).
        var features = StepFeatures(seg.Spectrograms);
        int d = features.Dim(1);
        var clip = Aggregate(features.Data.AsSpan(0, seg.Count * d), seg.Count);
        // Windows holding the same segments (a step finer than the segments' hop) share one answer.
        var ranges = new Dictionary<(int First, int End), int>();
        var windowRange = new int[windows.Count];
        var centres = new double[seg.Count];
        for (int i = 0; i < centres.Length; i++) centres[i] = (seg.Times[i].Start + seg.Times[i].End) / 2;
        for (int w = 0; w < windows.Count; w++)
        {
            var (first, end) = CentredIn(centres, windows[w]);
            windowRange[w] = end > first ? (ranges.TryGetValue((first, end), out int k) ? k : ranges[(first, end)] = ranges.Count) : -1;
        }
        var answers = new ClassProbabilities[ranges.Count];
        var ordered = ranges.OrderBy(r => r.Value).Select(r => r.Key).ToArray();
        for (int start = 0; start < ordered.Length; start += WindowBatch)
        {
            int n = Math.Min(WindowBatch, ordered.Length - start), longest = 0;
            for (int i = 0; i < n; i++) longest = Math.Max(longest, ordered[start + i].End - ordered[start + i].First);
            var batch = new Tensor(n, longest, d);
            var lengths = new int[n];
            for (int i = 0; i < n; i++)
            {
                var (first, end) = ordered[start + i];
                lengths[i] = end - first;
                features.Data.AsSpan(first * d, (end - first) * d).CopyTo(batch.Data.AsSpan(i * longest * d));
            }
            var logits = Network.ScoresFromStepFeatures(batch, lengths).Data;
            for (int i = 0; i < n; i++) answers[start + i] = Probabilities(logits, i);
        }
        var result = new ClassProbabilities?[windows.Count];
        for (int w = 0; w < windows.Count; w++) result[w] = windowRange[w] < 0 ? null : answers[windowRange[w]];
        return new BranchOutput(BranchName, BranchStatus.Used, clip, result, seg.Count, audio.Duration, null);
    }
}
