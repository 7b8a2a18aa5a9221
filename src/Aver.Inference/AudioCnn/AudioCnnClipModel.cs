using Aver.Features.Vad;
using System.Diagnostics;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Inference.Branches;
using Aver.Media;
using Aver.Models.AudioCnn;
using Aver.Models.Spec;
using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;

namespace Aver.Inference.AudioCnn;

/// <summary>
/// A compact log-mel CNN (family and <c>format</c> "audio-cnn", written per fold by <c>aver evaluate</c> on an
/// audio-cnn config) as an <see cref="IClipModel"/> for <c>aver predict</c>. The network and its front end (log-mel
/// options and the fold's band statistics, <see cref="LogMelFrontEnd"/>) come from the file's spec alone. The clip
/// answer is the softmax of the mean logits of the evaluation crops of the clip's centre, exactly as a fold's test
/// clips are scored; each timeline window is that slice of the clip run as a clip of its own (zero-padded to the
/// clip length, as training pads a short clip).
/// </summary>
public sealed class AudioCnnClipModel : IClipModel
{
    public const string Format = AudioCnnArchitecture.Family;
    public const string BranchName = "audio";

    /// <summary>Windows are run this many at a time (bounds the memory of a long clip's timeline).</summary>
    private const int WindowBatch = 16;

    private readonly LogMelPipeline _pipeline;

    private AudioCnnClipModel(AudioCnnNetwork network, ModelSpec spec, LogMelFrontEnd frontEnd, string source)
    {
        Network = network;
        Spec = spec;
        FrontEnd = frontEnd;
        Source = source;
        _pipeline = frontEnd.Pipeline();
        var names = spec.Labels.Names;
        Labels = LabelSpaces.Find(spec.Labels.Space) is { } known && known.Names.SequenceEqual(names) ? known : new LabelSpace(spec.Labels.Space, names);
    }

    public AudioCnnNetwork Network { get; }
    public ModelSpec Spec { get; }
    public LogMelFrontEnd FrontEnd { get; }
    public string Source { get; }
    public LabelSpace Labels { get; }

    /// <summary>Reads an audio-cnn model file for <see cref="ModelLoader"/>; problems name <paramref name="source"/>.</summary>
    public static AudioCnnClipModel Load(SafeTensorsFile file, string source)
    {
        var (spec, network) = ModelFile.Load(file, source);
        if (spec.Family != Format || network is not AudioCnnNetwork cnn) throw new InvalidDataException($"{source}: a '{spec.Family}' model, not an audio-cnn one");
        return new AudioCnnClipModel(cnn, spec, LogMelFrontEnd.FromSpec(spec.FrontEnds, source), source);
    }

    public string Description
    {
        get
        {
            var o = FrontEnd.Options;
            return $"audio CNN {string.Join("-", Network.Architecture.BlockWidths)} over {Labels.Name} ({Labels.Count} classes) on {o.Mels}-band log-mel crops of {o.CropSeconds:0.##} s " +
                   $"({o.EvalOffsets().Length} averaged); from {Source}";
        }
    }

    public ClipPrediction Predict(string path, PredictionOptions options)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        if (options.Only is { } only && !only.Contains(BranchName))
            throw new ArgumentException($"this audio CNN has only the audio branch; --only {string.Join(",", only)} cannot run it");
        var (hasAudio, _, duration) = ClipStreams.Of(path);
        if (!hasAudio)
            return ClipPrediction.Unanswered(path, duration, BranchName, BranchStatus.NoStream, "the file has no audio stream (this audio CNN needs the voice)", clock.Elapsed.TotalSeconds);
        var audio = MediaDecoder.ReadAudio(path, FrontEnd.Options.SampleRate);
        duration = Math.Max(duration, audio.Duration);
        if (SpeechPresence.Check(audio) is { HasSpeech: false } silent)
            return ClipPrediction.Unanswered(path, duration, BranchName, BranchStatus.Silent, silent.Reason!, clock.Elapsed.TotalSeconds);

        var clip = new ClassProbabilities(Labels, Probabilities([audio])[0]);
        var windows = TimeWindows.Of(duration, options.WindowSeconds, options.WindowStep);
        var timeline = new List<SegmentPrediction>(windows.Length);
        for (int first = 0; first < windows.Length; first += WindowBatch)
        {
            var chunk = windows.AsSpan(first, Math.Min(WindowBatch, windows.Length - first)).ToArray();
            var p = Probabilities(chunk.Select(w => audio.Slice(w.Start, w.End)).ToList());
            for (int i = 0; i < chunk.Length; i++)
                timeline.Add(new SegmentPrediction(chunk[i].Start, chunk[i].End, new ClassProbabilities(Labels, p[i]), [BranchName]));
        }
        int crops = FrontEnd.Options.EvalOffsets().Length;
        var branch = new BranchResult(BranchName, BranchStatus.Used, clip, crops, 1.0, $"{crops} log-mel crops of the centre {FrontEnd.Options.ClipSeconds:0.##} s");
        return new ClipPrediction(path, duration, clip, [branch], timeline, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The softmax of each clip (its evaluation crops' mean logits), run as one batch in evaluation mode.</summary>
    public float[][] Probabilities(IReadOnlyList<AudioBuffer> clips)
    {
        using var _ = GradMode.NoGrad();
        var crops = clips.Select(a => _pipeline.Crops(_pipeline.Image(a))).ToList();
        var batch = Tensor.Stack(crops);                        // [N, K, 1, mels, frames]
        var p = Network.ForwardCrops(FrontEnd.Normalized(batch)).Softmax(1);
        int c = Labels.Count;
        return Enumerable.Range(0, clips.Count).Select(i => p.Data.AsSpan(i * c, c).ToArray()).ToArray();
    }
}
