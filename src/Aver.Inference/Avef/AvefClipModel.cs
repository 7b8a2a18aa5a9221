using Aver.Features;
using Aver.Features.Vad;
using System.Diagnostics;
using Aver.Data.Labels;
using Aver.Inference.Branches;
using Aver.Media;
using Aver.Tensors;
using Aver.Tensors.IO;

namespace Aver.Inference.Avef;

/// <summary>
/// An AVEF bundle (<c>format</c> = avef, written per fold by <c>aver evaluate</c> on an AVEF config) as an
/// <see cref="IClipModel"/> for <c>aver predict</c>. Audio and faces are fused at the feature level (Ma et al. 2019,
/// §2.2), so the model is one branch: "audio" for an audio-only bundle, "audio+visual" for an audio-visual one.
/// The clip answer is the SVM's (§2.2.4; the DBN softmax averaged over the clip when the bundle has no SVM);
/// the timeline averages the DBN softmax of the segments whose centre falls in each window.
/// </summary>
public sealed class AvefClipModel : IClipModel, IDisposable
{
    /// <summary>The branch name of an audio-only bundle.</summary>
    public const string AudioName = "audio";
    /// <summary>The branch name of an audio-visual bundle.</summary>
    public const string AudioVisualName = "audio+visual";

    private readonly Lazy<FaceTracker> _tracker;

    /// <param name="tracker">Made on first use, so an audio-only bundle never loads BlazeFace.</param>
    public AvefClipModel(AvefBundle bundle, string source, Func<FaceTracker> tracker)
    {
        Bundle = bundle;
        Source = source;
        _tracker = new Lazy<FaceTracker>(tracker);
    }

    /// <summary>Reads an AVEF bundle for <see cref="ModelLoader"/>.</summary>
    public static AvefClipModel Load(SafeTensorsFile file, string source, Func<FaceTracker> tracker) =>
        new(AvefBundle.Load(file, source), source, tracker);

    public AvefBundle Bundle { get; }
    public string Source { get; }
    public LabelSpace Labels => Bundle.Labels;

    /// <summary>Whether the bundle needs the face as well as the audio.</summary>
    public bool AudioVisual => Bundle.Model.Visual is not null;

    /// <summary>The name of the model's single branch.</summary>
    public string BranchName => AudioVisual ? AudioVisualName : AudioName;

    public string Description =>
        $"AVEF {(AudioVisual ? "audio-visual" : "audio-only")} over {Labels.Name} ({Labels.Count} classes), " +
        $"case {Bundle.FrontEnds.Case}{(Bundle.FrontEnds.Case == 2 ? " (VAD drops silent segments)" : " (all segments)")}, " +
        $"{(Bundle.Svm is not null ? "SVM clip classifier" : "DBN softmax averaged over the clip")} from {Source}";

    public ClipPrediction Predict(string path, PredictionOptions options)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        if (options.Only is { } only && (!only.Contains("audio") || (AudioVisual && !only.Contains("visual"))))
            throw new ArgumentException($"this AVEF model fuses {(AudioVisual ? "audio and faces" : "audio only")} at the feature level; " +
                                        $"--only {string.Join(",", only)} cannot run {(AudioVisual ? "one of them alone" : "it")}");

        var (hasAudio, hasVideo, duration) = ClipStreams.Of(path);
        if (!hasAudio) return Without(path, duration, BranchStatus.NoStream, "the file has no audio stream (AVEF needs the voice)", clock);
        if (AudioVisual && !hasVideo)
            return Without(path, duration, BranchStatus.NoStream, "the file has no video stream (this AVEF model is audio-visual and needs the face)", clock);

        var buffer = MediaDecoder.ReadAudio(path);   // a decoding failure fails the only branch: MediaException, as IClipModel says
        duration = Math.Max(duration, buffer.Duration);
        if (SpeechPresence.Check(buffer) is { HasSpeech: false } silent)
            return Without(path, duration, BranchStatus.Silent, silent.Reason!, clock);
        var audio = Bundle.AudioPipeline.Segments(buffer);
        if (audio.Count == 0) return Without(path, duration, BranchStatus.Failed, "the audio is too short for one AVEF segment", clock);
        if (Bundle.FrontEnds.Case == 2 && Max(audio.SpeechFractions) < Bundle.FrontEnds.MinSpeechFraction)
            return Without(path, duration, BranchStatus.Silent,
                $"silent: the VAD found no segment with speech (case 2 keeps segments at least {Bundle.FrontEnds.MinSpeechFraction:P0} speech; " +
                $"the best of {audio.TotalSegments} had {Max(audio.SpeechFractions):P0})", clock);

        Tensor? faces = null;
        if (AudioVisual)
        {
            try { faces = Bundle.VisualPipeline(_tracker.Value).Segments(path, audio.Times); }
            catch (MediaException e)
            {
                // AvefVisualPipeline reports a clip without any face as a MediaException; anything else is a decoding failure.
                bool noFace = e.Message.Contains("no face", StringComparison.OrdinalIgnoreCase);
                return Without(path, duration, noFace ? BranchStatus.NoFace : BranchStatus.Failed, e.Message, clock);
            }
        }

        var prediction = Bundle.Predict(audio, faces);
        var clip = new ClassProbabilities(Labels, prediction.Probabilities);
        string kept = Bundle.FrontEnds.Case == 2 ? $"{audio.Count} of {audio.TotalSegments} segments kept by the VAD" : $"{audio.Count} segments";
        var branch = new BranchResult(BranchName, BranchStatus.Used, clip, audio.Count, 1.0, kept);
        var timeline = Timeline(prediction, TimeWindows.Of(duration, options.WindowSeconds, options.WindowStep));
        return new ClipPrediction(path, duration, clip, [branch], timeline, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Per window, the mean DBN softmax of the kept segments whose centre lies in it; windows with none are left out.</summary>
    private List<SegmentPrediction> Timeline(AvefPrediction prediction, TimeInterval[] windows)
    {
        int c = Labels.Count;
        var timeline = new List<SegmentPrediction>(windows.Length);
        string[] sources = [BranchName];
        foreach (var w in windows)
        {
            var sum = new float[c];
            int n = 0;
            foreach (var (time, p) in prediction.Segments)
            {
                if (!w.Contains((time.Start + time.End) / 2)) continue;
                for (int k = 0; k < c; k++) sum[k] += p[k];
                n++;
            }
            if (n == 0) continue;
            for (int k = 0; k < c; k++) sum[k] /= n;
            timeline.Add(new SegmentPrediction(w.Start, w.End, new ClassProbabilities(Labels, sum), sources));
        }
        return timeline;
    }

    private ClipPrediction Without(string path, double duration, BranchStatus status, string message, Stopwatch clock) =>
        ClipPrediction.Unanswered(path, duration, BranchName, status, message, clock.Elapsed.TotalSeconds);

    private static double Max(double[] values)
    {
        double m = double.NegativeInfinity;
        foreach (double v in values) m = Math.Max(m, v);
        return m;
    }

    public void Dispose() => Bundle.Dispose();
}
