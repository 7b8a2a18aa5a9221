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
/// options and the fold's band statistics, <see cref="LogMelFrontEnd"/>) come from the file's spec alone; clip and
/// timeline are answered by the same <see cref="LogMelAudioBranch"/> a decision-fusion model's log-mel audio branch
/// is (uncalibrated: temperature 1), so a clip of up to two clip lengths gets exactly a fold's test score.
/// </summary>
public sealed class AudioCnnClipModel : IClipModel
{
    public const string Format = AudioCnnArchitecture.Family;
    public const string BranchName = LogMelAudioBranch.BranchName;

    private AudioCnnClipModel(LogMelAudioBranch branch, ModelSpec spec, string source)
    {
        Branch = branch;
        Spec = spec;
        Source = source;
    }

    public LogMelAudioBranch Branch { get; }
    public ModelSpec Spec { get; }
    public string Source { get; }
    public LabelSpace Labels => Branch.Labels;

    /// <summary>Reads an audio-cnn model file for <see cref="ModelLoader"/>; problems name <paramref name="source"/>.</summary>
    public static AudioCnnClipModel Load(SafeTensorsFile file, string source)
    {
        var (spec, network) = ModelFile.Load(file, source);
        if (spec.Family != Format || network is not AudioCnnNetwork cnn) throw new InvalidDataException($"{source}: a '{spec.Family}' model, not an audio-cnn one");
        var names = spec.Labels.Names;
        var labels = LabelSpaces.Find(spec.Labels.Space) is { } known && known.Names.SequenceEqual(names) ? known : new LabelSpace(spec.Labels.Space, names);
        return new AudioCnnClipModel(new LogMelAudioBranch(cnn, LogMelFrontEnd.FromSpec(spec.FrontEnds, source), labels, 1f), spec, source);
    }

    public string Description => $"{Branch.Network.Architecture.Summary} over {Labels.Name} ({Labels.Count} classes) on {Branch.Input}; from {Source}";

    public ClipPrediction Predict(string path, PredictionOptions options)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        if (options.Only is { } only && !only.Contains(BranchName))
            throw new ArgumentException($"this audio CNN has only the audio branch; --only {string.Join(",", only)} cannot run it");
        var (hasAudio, _, duration) = ClipStreams.Of(path);
        if (!hasAudio)
            return ClipPrediction.Unanswered(path, duration, BranchName, BranchStatus.NoStream, "the file has no audio stream (this audio CNN needs the voice)", clock.Elapsed.TotalSeconds);
        var audio = MediaDecoder.ReadAudio(path, Branch.SampleRate);
        duration = Math.Max(duration, audio.Duration);
        var windows = TimeWindows.Of(duration, options.WindowSeconds, options.WindowStep);
        var output = Branch.Run(audio, windows);
        if (output.Clip is not { } clip)
            return ClipPrediction.Unanswered(path, duration, BranchName, output.Status, output.Message!, clock.Elapsed.TotalSeconds);
        var timeline = new List<SegmentPrediction>(windows.Length);
        for (int w = 0; w < windows.Length; w++)
            if (output.Windows[w] is { } p) timeline.Add(new SegmentPrediction(windows[w].Start, windows[w].End, p, [BranchName]));
        int crops = Branch.FrontEnd.Options.EvalOffsets().Length;
        var branch = new BranchResult(BranchName, BranchStatus.Used, clip, crops, 1.0, $"{crops} log-mel crops of the centre {Branch.FrontEnd.Options.ClipSeconds:0.##} s");
        return new ClipPrediction(path, duration, clip, [branch], timeline, clock.Elapsed.TotalSeconds);
    }
}
