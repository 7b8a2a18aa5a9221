using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features;
using Aver.Features.Vad;
using Aver.Media;
using Aver.Models.AudioCnn;
using Aver.Models.Calibration;
using Aver.Tensors;

namespace Aver.Inference.Branches;

/// <summary>
/// An audio branch that is a compact CNN on log-mel crops (family "audio-cnn"; its front end, band statistics
/// included, is <see cref="FrontEnd"/>). A recording of up to two clip lengths is answered as a fold's test clip is
/// scored: the mean logits of the evaluation crops of its centre <see cref="Aver.Features.LogMel.LogMelOptions.ClipSeconds"/>.
/// A longer one is cut into tiles of a clip length every half clip, and the logits of the tiles that hold speech are
/// averaged. Each timeline window is its slice run as a clip; windows are placed on the front end's evaluation hop,
/// so windows that differ by less share one answer and the timeline's cost does not grow with a finer step.
/// A window with no speech in it (<see cref="SpeechPresence"/>) has no audio answer.
/// </summary>
public sealed class LogMelAudioBranch : IAudioBranch
{
    public const string BranchName = AudioBranch.BranchName;

    /// <summary>Clips run through the network at once (bounds the memory of a long recording).</summary>
    private const int Batch = 16;

    private readonly LogMelPipeline _pipeline;

    public LogMelAudioBranch(AudioCnnNetwork network, LogMelFrontEnd frontEnd, LabelSpace labels, float temperature)
    {
        Network = network;
        FrontEnd = frontEnd;
        Labels = labels;
        Temperature = temperature > 0 ? temperature : throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        _pipeline = frontEnd.Pipeline();
        Network.Eval();
    }

    public AudioCnnNetwork Network { get; }
    public LogMelFrontEnd FrontEnd { get; }
    public LabelSpace Labels { get; }
    public float Temperature { get; }
    public int SampleRate => FrontEnd.Options.SampleRate;

    public string Describe() => $"audio CNN {Widths} on {Input}";

    public void Warm() => Logits([new AudioBuffer(new float[SampleRate], SampleRate)]);

    /// <summary>"32-64-128-256": the network's block widths.</summary>
    public string Widths => string.Join("-", Network.Architecture.BlockWidths);

    /// <summary>"64-band log-mel crops of 3 s (3 averaged)": what the network reads.</summary>
    public string Input => $"{FrontEnd.Options.Mels}-band log-mel crops of {FrontEnd.Options.CropSeconds:0.##} s ({FrontEnd.Options.EvalOffsets().Length} averaged)";

    /// <summary>Raw scores [N, classes] (row-major) of clips: each the mean logits of its centre's evaluation crops, in batches.</summary>
    public float[] Logits(IReadOnlyList<AudioBuffer> clips)
    {
        int c = Labels.Count;
        var logits = new float[clips.Count * c];
        using var _ = GradMode.NoGrad();
        for (int first = 0; first < clips.Count; first += Batch)
        {
            int n = Math.Min(Batch, clips.Count - first);
            var crops = new List<Tensor>(n);
            for (int i = 0; i < n; i++) crops.Add(_pipeline.Crops(_pipeline.Image(clips[first + i])));
            var scores = Network.ForwardCrops(FrontEnd.Normalized(Tensor.Stack(crops)));   // [n, classes]
            scores.Data.AsSpan(0, n * c).CopyTo(logits.AsSpan(first * c));
        }
        return logits;
    }

    /// <summary>Temperature-scaled probabilities of row <paramref name="row"/> of <paramref name="logits"/>.</summary>
    public ClassProbabilities Probabilities(ReadOnlySpan<float> logits, int row)
    {
        int c = Labels.Count;
        var p = new float[c];
        TemperatureScaling.Softmax(logits.Slice(row * c, c), Temperature, p);
        return new ClassProbabilities(Labels, p);
    }

    /// <summary>
    /// The raw scores [classes] of each span of <paramref name="audio"/> run as a clip, or null for a span without speech
    /// when <paramref name="speechOnly"/>. Spans are sliced a batch at a time, so a long recording's tiles or timeline
    /// never hold more than a batch of samples.
    /// </summary>
    private float[]?[] SpanLogits(AudioBuffer audio, IReadOnlyList<TimeInterval> spans, bool speechOnly)
    {
        var result = new float[]?[spans.Count];
        var pending = new List<int>(Batch);
        var clips = new List<AudioBuffer>(Batch);
        void Run()
        {
            var logits = Logits(clips);
            int c = Labels.Count;
            for (int i = 0; i < pending.Count; i++) result[pending[i]] = logits.AsSpan(i * c, c).ToArray();
            pending.Clear();
            clips.Clear();
        }
        for (int k = 0; k < spans.Count; k++)
        {
            var slice = audio.Slice(spans[k].Start, spans[k].End);
            if (speechOnly && !SpeechPresence.Check(slice).HasSpeech) continue;
            pending.Add(k);
            clips.Add(slice);
            if (pending.Count == Batch) Run();
        }
        if (pending.Count > 0) Run();
        return result;
    }

    /// <summary>
    /// The recording's raw scores [classes]: its centre (up to two clip lengths), or the mean over its tiles of a clip
    /// length every half clip that hold speech (all tiles when none is judged to).
    /// </summary>
    public float[] ClipLogits(AudioBuffer audio)
    {
        double clip = FrontEnd.Options.ClipSeconds;
        if (audio.Duration <= 2 * clip) return Logits([audio]);
        var tiles = new List<TimeInterval>();
        double start = 0;
        for (; start + clip <= audio.Duration + 1e-9; start += clip / 2) tiles.Add(new TimeInterval(start, start + clip));
        if (start - clip / 2 + clip < audio.Duration - 1e-3) tiles.Add(new TimeInterval(audio.Duration - clip, audio.Duration));   // the tail
        var scored = SpanLogits(audio, tiles, speechOnly: true);
        if (Array.TrueForAll(scored, l => l is null)) scored = SpanLogits(audio, tiles, speechOnly: false);
        var mean = new float[Labels.Count];
        int n = 0;
        foreach (var l in scored)
        {
            if (l is null) continue;
            System.Numerics.Tensors.TensorPrimitives.Add(mean, l, mean);
            n++;
        }
        System.Numerics.Tensors.TensorPrimitives.Multiply(mean, 1f / n, mean);
        return mean;
    }

    public BranchOutput Run(AudioBuffer audio, IReadOnlyList<TimeInterval> windows)
    {
        if (SpeechPresence.Check(audio) is { HasSpeech: false } silent)
            return BranchOutput.Without(BranchName, BranchStatus.Silent, windows.Count, silent.Reason!);
        var clip = Probabilities(ClipLogits(audio), 0);

        // Windows snapped to the evaluation hop (a window answers as the snapped window, whatever order they come in):
        // one network run per distinct (start, end).
        double q = FrontEnd.Options.EvalHopSeconds;
        var distinct = new Dictionary<(long, long), int>();
        var spans = new List<TimeInterval>();
        var index = new int[windows.Count];
        for (int w = 0; w < windows.Count; w++)
        {
            var key = ((long)Math.Round(windows[w].Start / q), (long)Math.Round(windows[w].End / q));
            if (!distinct.TryGetValue(key, out int k))
            {
                distinct[key] = k = spans.Count;
                spans.Add(new TimeInterval(key.Item1 * q, Math.Min(audio.Duration, key.Item2 * q)));
            }
            index[w] = k;
        }
        var scored = SpanLogits(audio, spans, speechOnly: true);
        var answers = Array.ConvertAll(scored, l => l is null ? null : Probabilities(l, 0));
        var result = new ClassProbabilities?[windows.Count];
        for (int w = 0; w < windows.Count; w++) result[w] = answers[index[w]];
        int crops = FrontEnd.Options.EvalOffsets().Length;
        return new BranchOutput(BranchName, BranchStatus.Used, clip, result, crops, audio.Duration, null);
    }
}
