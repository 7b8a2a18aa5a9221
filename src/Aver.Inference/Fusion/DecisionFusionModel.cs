using Aver.Features;
using System.Diagnostics;
using Aver.Data.Labels;
using Aver.Inference.Branches;
using Aver.Media;
using Aver.Models.Calibration;

namespace Aver.Inference.Fusion;

/// <summary>
/// Audio and visual branches trained apart (no paired corpus is needed), fused at the decision level over a shared
/// label space: each branch's temperature-scaled probabilities are carried into <see cref="Labels"/> and averaged with
/// its weight (<see cref="DecisionFusion"/>). A clip runs the branches it has streams for; a branch that cannot answer
/// (no face, silence, undecodable stream) is reported and left out of the average.
/// </summary>
public sealed class DecisionFusionModel : IClipModel
{
    private readonly LabelMap? _audioMap, _visualMap;

    public DecisionFusionModel(LabelSpace labels, IAudioBranch? audio, BranchCalibration? audioCalibration,
        FaceBranch? visual, BranchCalibration? visualCalibration, string source)
    {
        if (audio is null && visual is null) throw new ArgumentException($"{source}: a decision-fusion model needs at least one branch");
        Labels = labels;
        Audio = audio;
        Visual = visual;
        AudioCalibration = audioCalibration ?? new BranchCalibration(audio?.Temperature ?? 1, 1);
        VisualCalibration = visualCalibration ?? new BranchCalibration(visual?.Temperature ?? 1, 1);
        Source = source;
        if (audio is not null) _audioMap = MapInto(audio.Labels, "audio");
        if (visual is not null) _visualMap = MapInto(visual.Labels, "visual");
    }

    public LabelSpace Labels { get; }
    public IAudioBranch? Audio { get; }
    public FaceBranch? Visual { get; }
    public BranchCalibration AudioCalibration { get; }
    public BranchCalibration VisualCalibration { get; }
    public string Source { get; }

    public string Description =>
        $"decision fusion over {Labels.Name} ({string.Join(", ", Branches())}) from {Source}";

    private IEnumerable<string> Branches()
    {
        if (Audio is not null) yield return $"audio: {Audio.Describe()}, w={AudioCalibration.Weight:0.###} T={AudioCalibration.Temperature:0.###}";
        if (Visual is not null) yield return $"visual w={VisualCalibration.Weight:0.###} T={VisualCalibration.Temperature:0.###}";
    }

    public ClipPrediction Predict(string path, PredictionOptions options)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        bool wantAudio = Audio is not null && Wanted(options, AudioBranch.BranchName);
        bool wantVisual = Visual is not null && Wanted(options, FaceBranch.BranchName);
        if (!wantAudio && !wantVisual) throw new ArgumentException($"no branch of this model is selected (it has {string.Join(", ", Branches())})");

        if (Photo.IsPhoto(path)) return PredictPhoto(path, wantVisual, options.TenCrop, clock);

        // Each ffprobe costs about as much CPU as decoding a second of audio, so a file is probed once:
        // an audio file (by its extension) not at all, a video file by the video reader that decodes it.
        VideoReader? reader = null;
        BranchOutput? visualProblem = null;
        bool hasAudio, hasVideo;
        double duration = 0;
        if (ClipStreams.IsAudioFile(path)) { hasAudio = true; hasVideo = false; }
        else
        {
            MediaInfo info;
            try
            {
                if (!wantVisual) throw new OperationCanceledException();
                reader = MediaDecoder.OpenVideo(path, Visual!.Decoding(options.VisualFps));
                info = reader.Info;
            }
            catch (Exception e) when (e is MediaException or OperationCanceledException)
            {
                info = MediaProbe.Probe(path);   // throws, naming the file, when it cannot be read at all
                if (info.HasVideo && e is MediaException) visualProblem = BranchOutput.Without(FaceBranch.BranchName, BranchStatus.Failed, 0, e.Message);
            }
            (hasAudio, hasVideo) = (info.HasAudio, info.HasVideo);
            if (!hasAudio && !hasVideo) throw new MediaException(path, "has neither an audio nor a video stream");
            duration = info.Duration ?? info.Video?.Duration ?? info.Audio?.Duration ?? 0;
        }

        // The visual branch (ffmpeg decoding, face tracking, the FER network) runs beside the audio branch (its own
        // ffmpeg, spectrograms, the audio network): neither waits for the other's decoder. It needs the timeline, which
        // needs the duration; a container that does not state one is run after the audio has been decoded.
        var windows = duration > 0 ? TimeWindows.Of(duration, options.WindowSeconds, options.WindowStep) : null;
        Task<BranchOutput>? visualRun = null;
        if (wantVisual && reader is not null && windows is not null)
            visualRun = Task.Run(() => Guard(FaceBranch.BranchName, windows.Length, () => Visual!.Run(reader, options.VisualFps, windows)));

        AudioBuffer? audio = null;
        BranchOutput? audioProblem = null;
        if (wantAudio && hasAudio)
        {
            try { audio = MediaDecoder.ReadAudio(path, Audio!.SampleRate); }
            catch (MediaException e) when (!ClipStreams.IsAudioFile(path)) { audioProblem = BranchOutput.Without(AudioBranch.BranchName, BranchStatus.Failed, 0, e.Message); }
            if (audio is not null && duration <= 0) duration = audio.Duration;
        }
        windows ??= TimeWindows.Of(duration, options.WindowSeconds, options.WindowStep);

        var outputs = new List<BranchOutput>();
        if (wantAudio)
            outputs.Add(audio is not null ? Audio!.Run(audio, windows)
                : audioProblem is not null ? audioProblem with { Windows = new ClassProbabilities?[windows.Length] }
                : BranchOutput.Without(AudioBranch.BranchName, BranchStatus.NoStream, windows.Length, "the file has no audio stream"));
        if (wantVisual)
            outputs.Add(visualRun is not null ? visualRun.GetAwaiter().GetResult()
                : reader is not null ? Guard(FaceBranch.BranchName, windows.Length, () => Visual!.Run(reader, options.VisualFps, windows))
                : visualProblem is not null ? visualProblem with { Windows = new ClassProbabilities?[windows.Length] }
                : BranchOutput.Without(FaceBranch.BranchName, BranchStatus.NoStream, windows.Length, hasVideo ? "not run" : "the file has no video stream"));
        if (outputs.All(o => o.Status == BranchStatus.Failed))
            throw new MediaException(path, string.Join("; ", outputs.Select(o => o.Message)));
        return Fuse(path, Math.Max(duration, outputs.Max(o => o.Duration)), outputs, windows, clock.Elapsed.TotalSeconds);
    }

    /// <summary>A photo: the visual branch alone, one instant (no timeline); the audio branch has nothing to hear.</summary>
    private ClipPrediction PredictPhoto(string path, bool wantVisual, bool tenCrop, Stopwatch clock)
    {
        if (!wantVisual) throw new ArgumentException($"{path}: a photo has no audio, and this prediction runs no visual branch (see --only)");
        var photo = Photo.Load(path);
        var outputs = new List<BranchOutput> { Visual!.RunPhoto(photo, tenCrop) };
        if (Audio is not null) outputs.Add(BranchOutput.Without(AudioBranch.BranchName, BranchStatus.NoStream, 0, "a photo has no audio"));
        return Fuse(path, 0, outputs, [], clock.Elapsed.TotalSeconds);
    }

    /// <summary>Fuses branch outputs (in their own label spaces) into the clip prediction.</summary>
    public ClipPrediction Fuse(string path, double duration, IReadOnlyList<BranchOutput> outputs, IReadOnlyList<TimeInterval> windows, double elapsed)
    {
        var used = outputs.Where(o => o.Status == BranchStatus.Used).ToList();
        double totalWeight = used.Sum(o => CalibrationOf(o.Name).Weight);
        var clip = DecisionFusion.Average(Labels, used.Select(o => (Shared(o, o.Clip!), CalibrationOf(o.Name).Weight)).ToList());
        var branches = outputs.Select(o => new BranchResult(o.Name, o.Status, o.Clip is null ? null : Shared(o, o.Clip), o.Steps,
            o.Status == BranchStatus.Used && totalWeight > 0 ? CalibrationOf(o.Name).Weight / totalWeight : 0, o.Message)).ToList();
        var timeline = new List<SegmentPrediction>();
        for (int w = 0; w < windows.Count; w++)
            if (FuseWindow(windows[w], used.Select(o => (o.Name, o.Windows[w])).ToList()) is { } p) timeline.Add(p);
        return new ClipPrediction(path, duration, clip, branches, timeline, elapsed);
    }

    /// <summary>
    /// One timeline window from each branch's answer for it (in the branch's own label space; null where the branch
    /// has none): the weighted average in <see cref="Labels"/>, or null when no branch answered.
    /// </summary>
    public SegmentPrediction? FuseWindow(TimeInterval window, IReadOnlyList<(string Branch, ClassProbabilities? Answer)> answers)
    {
        var parts = new List<(ClassProbabilities, double)>();
        var names = new List<string>();
        foreach (var (branch, answer) in answers)
        {
            if (answer is null) continue;
            parts.Add((Shared(branch, answer), CalibrationOf(branch).Weight));
            names.Add(branch);
        }
        return DecisionFusion.Average(Labels, parts) is { } p ? new SegmentPrediction(window.Start, window.End, p, names) : null;
    }

    private BranchCalibration CalibrationOf(string branch) => branch == AudioBranch.BranchName ? AudioCalibration : VisualCalibration;

    private ClassProbabilities Shared(BranchOutput o, ClassProbabilities p) => Shared(o.Name, p);

    /// <summary>Branch <paramref name="branch"/>'s probabilities carried into the model's label space.</summary>
    public ClassProbabilities Shared(string branch, ClassProbabilities p)
    {
        var map = branch == AudioBranch.BranchName ? _audioMap : _visualMap;
        return map is null || p.Space.Equals(Labels) ? p : DecisionFusion.Map(p, map);
    }

    private LabelMap MapInto(LabelSpace branch, string name) =>
        LabelMaps.Between(branch, Labels)
        ?? throw new InvalidDataException($"{Source}: the {name} branch predicts {branch.Name}, which has no label map into the model's space {Labels.Name}");

    private static bool Wanted(PredictionOptions o, string branch) => o.Only is null || o.Only.Contains(branch);

    /// <summary>A stream that cannot be decoded fails its branch only; the other branch still answers.</summary>
    private static BranchOutput Guard(string name, int windows, Func<BranchOutput> run)
    {
        try { return run(); }
        catch (MediaException e) { return BranchOutput.Without(name, BranchStatus.Failed, windows, e.Message); }
    }
}
