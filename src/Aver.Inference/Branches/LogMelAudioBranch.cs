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
/// averaged. Each timeline window is answered by the clip length of audio centred on it (the network's context);
/// contexts are placed on the front end's evaluation hop, so windows that differ by less share one answer and the
/// timeline's cost does not grow with a finer step. A window with no speech in it (<see cref="SpeechPresence"/>) has no audio answer.
/// </summary>
public sealed class LogMelAudioBranch : IAudioBranch
{
    public const string BranchName = AudioBranch.BranchName;

    /// <summary>Clips run through the network at once (bounds the memory of a long recording).</summary>
    private const int Batch = 16;

    private readonly LogMelPipeline[] _pipelines;

    public LogMelAudioBranch(AudioCnnNetwork network, LogMelFrontEnd frontEnd, LabelSpace labels, float temperature)
        : this([(network, frontEnd)], labels, temperature) { }

    /// <summary>
    /// Networks trained apart that answer together (<see cref="Members"/>): each reads the clip through its own front end
    /// (a CNN on 10-ms frames, ResLSTM-SA on 43-ms frames), and their answer is the log of their mean class probability,
    /// which <paramref name="temperature"/> then scales as it would one network's logits. They must agree on the clip
    /// length, the evaluation hop and the sample rate, which place the timeline's contexts.
    /// </summary>
    public LogMelAudioBranch(IReadOnlyList<(AudioCnnNetwork Network, LogMelFrontEnd FrontEnd)> members, LabelSpace labels, float temperature)
    {
        if (members.Count == 0) throw new ArgumentException("an audio branch needs at least one network", nameof(members));
        var first = members[0].FrontEnd.Options;
        foreach (var (_, end) in members)
            if (end.Options.ClipSeconds != first.ClipSeconds || end.Options.EvalHopSeconds != first.EvalHopSeconds || end.Options.SampleRate != first.SampleRate)
                throw new InvalidDataException($"the networks of an audio branch must read clips of one length, evaluation hop and sample rate; got {first.ClipSeconds} s / {first.EvalHopSeconds} s / {first.SampleRate} Hz and {end.Options.ClipSeconds} s / {end.Options.EvalHopSeconds} s / {end.Options.SampleRate} Hz");
        Members = members;
        Labels = labels;
        Temperature = temperature > 0 ? temperature : throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        _pipelines = members.Select(m => m.FrontEnd.Pipeline()).ToArray();
        foreach (var (network, _) in members) network.Eval();
    }

    /// <summary>The networks and their front ends: one, or an ensemble's members in order.</summary>
    public IReadOnlyList<(AudioCnnNetwork Network, LogMelFrontEnd FrontEnd)> Members { get; }
    /// <summary>The first network (the only one unless the branch is an ensemble).</summary>
    public AudioCnnNetwork Network => Members[0].Network;
    /// <summary>The first network's front end; its clip length, evaluation hop and sample rate are every member's.</summary>
    public LogMelFrontEnd FrontEnd => Members[0].FrontEnd;
    public LabelSpace Labels { get; }
    public float Temperature { get; }
    public int SampleRate => FrontEnd.Options.SampleRate;

    public string Describe() => Members.Count == 1 ? $"{Network.Architecture.Summary} on {Input}"
        : $"the mean of {Members.Count} networks: " + string.Join("; ", Members.Select(m => $"{m.Network.Architecture.Summary} on {InputOf(m.FrontEnd)}"));

    public void Warm() => Logits([new AudioBuffer(new float[SampleRate], SampleRate)]);

    /// <summary>"64-band log-mel crops of 3 s (3 averaged)": what the (first) network reads.</summary>
    public string Input => InputOf(FrontEnd);

    private static string InputOf(LogMelFrontEnd end) => $"{end.Options.Describe} crops of {end.Options.CropSeconds:0.##} s ({end.Options.EvalOffsets().Length} averaged)";

    /// <summary>
    /// Raw scores [N, classes] (row-major) of clips, in batches: each the mean logits of its centre's evaluation crops, or
    /// for an ensemble the log of the members' mean probability (each member's from its mean crop logits).
    /// </summary>
    public float[] Logits(IReadOnlyList<AudioBuffer> clips)
    {
        if (Members.Count == 1) return MemberLogits(0, clips);
        var scores = new float[Members.Count][];
        for (int m = 0; m < Members.Count; m++) scores[m] = MemberLogits(m, clips);
        return Aver.Tensors.Nn.Ensemble.LogMeanProbability(scores, Labels.Count);
    }

    private float[] MemberLogits(int member, IReadOnlyList<AudioBuffer> clips)
    {
        var (network, frontEnd) = Members[member];
        var pipeline = _pipelines[member];
        int c = Labels.Count;
        var logits = new float[clips.Count * c];
        using var _ = GradMode.NoGrad();
        for (int first = 0; first < clips.Count; first += Batch)
        {
            int n = Math.Min(Batch, clips.Count - first);
            var crops = new List<Tensor>(n);
            for (int i = 0; i < n; i++) crops.Add(pipeline.Crops(pipeline.Image(clips[first + i])));
            var scores = network.ForwardCrops(frontEnd.Normalized(Tensor.Stack(crops)));   // [n, classes]
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
    public float[] ClipLogits(AudioBuffer audio) => ClipLogits(audio, out _);

    /// <inheritdoc cref="ClipLogits(AudioBuffer)"/>
    /// <param name="audio">The recording.</param>
    /// <param name="tiles">How many clip-length tiles were averaged (1 for a recording of up to two clip lengths).</param>
    public float[] ClipLogits(AudioBuffer audio, out int tiles)
    {
        double clip = FrontEnd.Options.ClipSeconds;
        tiles = 1;
        if (audio.Duration <= 2 * clip) return Logits([audio]);
        var spans = new List<TimeInterval>();
        double start = 0;
        for (; start + clip <= audio.Duration + 1e-9; start += clip / 2) spans.Add(new TimeInterval(start, start + clip));
        if (start - clip / 2 + clip < audio.Duration - 1e-3) spans.Add(new TimeInterval(audio.Duration - clip, audio.Duration));   // the tail
        var scored = SpanLogits(audio, spans, speechOnly: true);
        if (Array.TrueForAll(scored, l => l is null)) scored = SpanLogits(audio, spans, speechOnly: false);
        var mean = new float[Labels.Count];
        int n = 0;
        foreach (var l in scored)
        {
            if (l is null) continue;
            System.Numerics.Tensors.TensorPrimitives.Add(mean, l, mean);
            n++;
        }
        System.Numerics.Tensors.TensorPrimitives.Multiply(mean, 1f / n, mean);
        tiles = n;
        return mean;
    }

    public BranchOutput Run(AudioBuffer audio, IReadOnlyList<TimeInterval> windows)
    {
        if (SpeechPresence.Check(audio) is { HasSpeech: false } silent)
            return BranchOutput.Without(BranchName, BranchStatus.Silent, windows.Count, silent.Reason!);
        var clip = Probabilities(ClipLogits(audio, out int tiles), 0);

        var (contexts, index) = WindowContexts(audio, windows);
        // Every context is scored: the windows without speech were left out of them already.
        var answers = Array.ConvertAll(SpanLogits(audio, contexts, speechOnly: false), l => Probabilities(l!, 0));
        var result = new ClassProbabilities?[windows.Count];
        for (int w = 0; w < windows.Count; w++) result[w] = index[w] < 0 ? null : answers[index[w]];
        int crops = FrontEnd.Options.EvalOffsets().Length;
        string seen = tiles == 1 ? $"{crops} log-mel crops" : $"{tiles} clips of {FrontEnd.Options.ClipSeconds:0.##} s with speech, {crops} log-mel crops each";
        return new BranchOutput(BranchName, BranchStatus.Used, clip, result, tiles * crops, audio.Duration, seen);
    }

    /// <summary>The stretches of audio that answer the windows, and each window's index into them (-1 for a window without speech).</summary>
    private (List<TimeInterval> Contexts, int[] Index) WindowContexts(AudioBuffer audio, IReadOnlyList<TimeInterval> windows)
    {
        var snapped = new Dictionary<TimeInterval, int>();   // snapped window -> context index, -1 without speech
        var contextOf = new Dictionary<TimeInterval, int>();
        var contexts = new List<TimeInterval>();
        var index = new int[windows.Count];
        for (int w = 0; w < windows.Count; w++)
        {
            var window = SnappedWindow(windows[w], audio.Duration);
            if (!snapped.TryGetValue(window, out int k))
            {
                k = -1;
                if (SpeechPresence.Check(audio.Slice(window.Start, window.End)).HasSpeech)   // a silent moment has no answer
                {
                    var context = Context(window, audio.Duration);
                    if (!contextOf.TryGetValue(context, out k))
                    {
                        contextOf[context] = k = contexts.Count;
                        contexts.Add(context);
                    }
                }
                snapped[window] = k;
            }
            index[w] = k;
        }
        return (contexts, index);
    }

    /// <summary>
    /// <paramref name="window"/> on the evaluation hop's grid (at least one hop long, inside a recording of
    /// <paramref name="duration"/> seconds; infinity while a stream is still arriving): what its speech check reads.
    /// Snapping makes the timeline's cost independent of how finely its windows are stepped.
    /// </summary>
    public TimeInterval SnappedWindow(TimeInterval window, double duration)
    {
        double q = FrontEnd.Options.EvalHopSeconds;
        double start = Math.Round(window.Start / q) * q;
        return new TimeInterval(start, Math.Min(duration, Math.Max(Math.Round(window.End / q) * q, start + q)));
    }

    /// <summary>
    /// The audio that answers a snapped window: the clip length centred on it, shifted inside the recording (to
    /// [0, duration]; a stream still arriving has no end yet), its start on the evaluation hop's grid.
    /// </summary>
    /// <remarks>
    /// The network was trained on clips of this length; a 1-s slice padded with silence to a clip length is outside what it
    /// saw (on the default model's validation speakers it called 793 of 806 such windows "surprise"). So a window's answer
    /// is the emotion around it, and on a recording no longer than a clip every window's context is the whole recording.
    /// </remarks>
    public TimeInterval Context(TimeInterval snapped, double duration)
    {
        double q = FrontEnd.Options.EvalHopSeconds, clip = FrontEnd.Options.ClipSeconds;
        double start = Math.Clamp((snapped.Start + snapped.End - clip) / 2, 0, Math.Max(0, duration - clip));
        start = Math.Round(start / q) * q;
        return new TimeInterval(start, Math.Min(duration, start + clip));
    }
}
