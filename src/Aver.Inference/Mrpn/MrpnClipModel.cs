using Aver.Features.Vad;
using System.Diagnostics;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features;
using Aver.Inference.Branches;
using Aver.Media;
using Aver.Tensors.IO;

namespace Aver.Inference.Mrpn;

/// <summary>
/// An MRPN bundle (<c>format</c> = mrpn, written per fold by <c>aver evaluate</c> on an MRPN config) as an
/// <see cref="IClipModel"/> for <c>aver predict</c>. The network is one branch: "audio" for AM, "visual" for VM, and
/// "audio+visual" for N0/N1/N2, which fuse the modalities inside the network (MRPN §4.1), so they need both streams.
/// The clip answer is the network's softmax on the whole clip; each timeline window is the network run on that
/// slice of the clip alone (as MRPN's time augmentation trains it to). Faces are tracked at the rate the network
/// was trained with (the bundle's fps), so <see cref="PredictionOptions.VisualFps"/> does not apply.
/// </summary>
public sealed class MrpnClipModel : IClipModel
{
    public const string AudioName = "audio";
    public const string VisualName = "visual";
    public const string AudioVisualName = "audio+visual";

    private readonly Lazy<FaceTracker> _tracker;

    /// <param name="tracker">Made on first use, so an AM bundle never loads BlazeFace.</param>
    public MrpnClipModel(MrpnBundle bundle, string source, Func<FaceTracker> tracker)
    {
        Bundle = bundle;
        Source = source;
        _tracker = new Lazy<FaceTracker>(tracker);
    }

    /// <summary>Reads an MRPN bundle for <see cref="ModelLoader"/>.</summary>
    public static MrpnClipModel Load(SafeTensorsFile file, string source, Func<FaceTracker> tracker) =>
        new(MrpnBundle.Load(file, source), source, tracker);

    public MrpnBundle Bundle { get; }
    public string Source { get; }
    public LabelSpace Labels => Bundle.Labels;

    /// <summary>The name of the model's single branch.</summary>
    public string BranchName => Bundle.NeedsAudio ? Bundle.NeedsFaces ? AudioVisualName : AudioName : VisualName;

    public string Description
    {
        get
        {
            var (a, ends) = (Bundle.Architecture, Bundle.FrontEnds);
            var parts = new List<string>();
            static string Lower(object o) => o.ToString()!.ToLowerInvariant();
            if (a.Audio is { } audio) parts.Add($"audio ResNet-18 width {audio.Width} + {Lower(audio.Aggregator)} {audio.Hidden} on spectrograms pooled by {ends.AudioPool}");
            if (a.Visual is { } visual && ends.Video is { } v)
                parts.Add($"faces ResNet-18 width {visual.Width} + {Lower(visual.Aggregator)} {visual.Hidden} on {v.FaceSize}x{v.FaceSize} {Lower(v.Color)} crops at {v.Fps:0.##} fps");
            string network = Bundle.Name switch { "AM" => "AM (audio only)", "VM" => "VM (faces only)", var n => $"{n} (audio-visual)" };
            return $"MRPN {network} over {Labels.Name} ({Labels.Count} classes): {string.Join("; ", parts)}; from {Source}";
        }
    }

    public ClipPrediction Predict(string path, PredictionOptions options)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        if (options.Only is { } only && ((Bundle.NeedsAudio && !only.Contains("audio")) || (Bundle.NeedsFaces && !only.Contains("visual"))))
            throw new ArgumentException($"this MRPN {Bundle.Name} network takes {Needs()} as one branch; --only {string.Join(",", only)} cannot run it");

        var (hasAudio, hasVideo, duration) = ClipStreams.Of(path);
        if (Bundle.NeedsAudio && !hasAudio)
            return Without(path, duration, BranchStatus.NoStream, $"the file has no audio stream (this MRPN {Bundle.Name} network needs the voice)", clock);
        if (Bundle.NeedsFaces && !hasVideo)
            return Without(path, duration, BranchStatus.NoStream, $"the file has no video stream (this MRPN {Bundle.Name} network needs the face)", clock);

        AudioBuffer? audio = null;
        if (Bundle.NeedsAudio)
        {
            audio = MediaDecoder.ReadAudio(path, Bundle.FrontEnds.Audio!.SampleRate);   // a decoding failure fails the only branch: MediaException
            duration = Math.Max(duration, audio.Duration);
            if (SpeechPresence.Check(audio) is { HasSpeech: false } silent)
                return Without(path, duration, BranchStatus.Silent, silent.Reason!, clock);
        }

        MrpnFaceClip? faces = null;
        if (Bundle.NeedsFaces)
        {
            double fps = Bundle.FrontEnds.Video!.Fps;
            try { faces = Bundle.VideoPipeline(() => _tracker.Value).Faces(path); }
            catch (Exception e) when (e is MediaException or InvalidDataException)
            {
                return Without(path, duration, BranchStatus.Failed, e.Message, clock);
            }
            // Training gives a frame without a tracked face the frame's centre; a clip with no face at all has nothing to read.
            if (faces.FaceFrames == 0)
                return Without(path, duration, BranchStatus.NoFace, $"no face found in any of the {faces.Count} frames sampled at {fps:0.##} fps", clock);
            duration = Math.Max(duration, faces.Duration(fps));
        }

        var windows = TimeWindows.Of(duration, options.WindowSeconds, options.WindowStep);
        var prediction = Bundle.Predict(audio, faces, windows);
        var clip = new ClassProbabilities(Labels, prediction.Probabilities);
        int steps = Bundle.NeedsAudio ? prediction.Segments : prediction.Frames;
        string seen = string.Join(", ", new[]
        {
            Bundle.NeedsAudio ? $"{prediction.Segments} spectrogram segments" : null,
            faces is null ? null : $"{prediction.Frames} face frames ({faces.MissingFrames} without a tracked face)",
        }.OfType<string>());
        var branch = new BranchResult(BranchName, BranchStatus.Used, clip, steps, 1.0, seen);
        string[] sources = [BranchName];
        var timeline = prediction.Windows
            .Select(w => new SegmentPrediction(w.Time.Start, w.Time.End, new ClassProbabilities(Labels, w.Probabilities), sources)).ToList();
        return new ClipPrediction(path, duration, clip, [branch], timeline, clock.Elapsed.TotalSeconds);
    }

    private string Needs() => Bundle.NeedsAudio ? Bundle.NeedsFaces ? "audio and faces together" : "audio" : "faces";

    private ClipPrediction Without(string path, double duration, BranchStatus status, string message, Stopwatch clock) =>
        ClipPrediction.Unanswered(path, duration, BranchName, status, message, clock.Elapsed.TotalSeconds);
}
