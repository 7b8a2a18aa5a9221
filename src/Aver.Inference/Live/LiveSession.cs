using Aver.Features;
using Aver.Data.Labels;
using Aver.Inference.Branches;
using Aver.Inference.Fusion;
using Aver.Media;

namespace Aver.Inference.Live;

/// <summary>One timeline window answered live: the fused answer (null when no branch could answer), each branch's answer in the model's label space, and its latency.</summary>
/// <param name="Latency">Seconds between the moment the window's end played (the stream's media clock, <see cref="LiveClock"/>) and the answer.</param>
public sealed record LiveWindow(TimeInterval Window, SegmentPrediction? Fused, IReadOnlyList<(string Branch, ClassProbabilities? Answer)> Branches, double Latency);

/// <summary>The end of a live session: the whole stream's answer, the windows given, their latencies, and why it ended early (null at a clean end).</summary>
/// <param name="PeakHeldSeconds">The most media (seconds, audio or video) held at once waiting for its windows: bounded by the window and the branches' look-ahead, not by the stream's length.</param>
public sealed record LiveSummary(ClipPrediction Prediction, string Layout, int Windows, IReadOnlyList<double> Latencies, string? Problem, bool Stopped, double PeakHeldSeconds)
{
    /// <summary>The latency below which a fraction <paramref name="q"/> of the windows were answered (nearest rank), or null without windows.</summary>
    public double? LatencyQuantile(double q)
    {
        if (Latencies.Count == 0) return null;
        var sorted = Latencies.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>
/// A stream answered while it plays, with the model that answers files (<see cref="DecisionFusionModel"/>): its
/// audio branch on one thread and its visual branch on another, each as its media arrives, and one timeline window
/// given as soon as every branch has seen all of it — the audio branch needs the half-second after the window (its
/// 1-s segments are placed by their centres, as in a file's timeline), the visual branch one frame after it (the
/// tracker's look-ahead). At the end of the stream (or a stall, or <see cref="ILiveStream.Stop"/>) the remaining
/// windows and the summary of the whole stream follow.
/// </summary>
public sealed class LiveSession
{
    private readonly object _gate = new();
    private readonly LiveClock _clock = new();
    private readonly List<double> _latencies = [];
    private ILiveAudioTrack? _audio;
    private LiveVisualTrack? _visual;
    private Action<LiveWindow> _onWindow = _ => { };
    private int _next;                   // the next regular window
    private bool _finished;
    private double _lastEnd;

    public LiveSession(DecisionFusionModel model, LiveOptions options)
    {
        options.Validate();
        Model = model;
        Options = options;
        WantAudio = model.Audio is not null && (options.Only is null || options.Only.Contains(AudioBranch.BranchName));
        WantVisual = model.Visual is not null && (options.Only is null || options.Only.Contains(FaceBranch.BranchName));
        if (!WantAudio && !WantVisual) throw new ArgumentException("no branch of this model is selected (see --only)");
    }

    public DecisionFusionModel Model { get; }
    public LiveOptions Options { get; }
    public bool WantAudio { get; }
    public bool WantVisual { get; }

    /// <summary>How the stream must be decoded for this model: its audio rate, the visual branch's frame rate and size.</summary>
    public LiveDecodeOptions Decoding => new()
    {
        Audio = WantAudio,
        Video = WantVisual,
        SampleRate = Model.Audio?.SampleRate ?? 16000,
        Fps = Options.VisualFps,
        MaxSide = Model.Visual?.Decoding(Options.VisualFps).MaxSide ?? 320,
        StallSeconds = Options.StallSeconds,
    };

    /// <summary>
    /// Loads what the first answer would otherwise wait for (the face detector, the networks' first run), so the stream
    /// is not held back while it happens. Call before opening the stream.
    /// </summary>
    public void Prepare()
    {
        if (WantVisual)
        {
            var visual = Model.Visual!;
            var blank = Image.Blank(visual.Input.Size, visual.Input.Size, ImageColor.Gray);
            visual.Tracker.Detector.Detect(Image.Blank(64, 64, ImageColor.Rgb));
            visual.Classify([blank]);
        }
        if (WantAudio)
        {
            Model.Audio!.Warm();
        }
    }

    /// <summary>
    /// Answers <paramref name="decoder"/>'s stream until it ends, calling <paramref name="onWindow"/> (from either
    /// branch's thread, one call at a time) for each window as it is answered. <paramref name="cancel"/> (Ctrl-C) stops
    /// the stream; the summary of what was heard and seen is returned either way.
    /// </summary>
    public LiveSummary Run(ILiveStream decoder, Action<LiveWindow> onWindow, CancellationToken cancel = default)
    {
        _onWindow = onWindow;
        if (decoder.HasAudio && WantAudio) _audio = ILiveAudioTrack.For(Model.Audio!, _gate);
        if (decoder.HasVideo && WantVisual) _visual = new LiveVisualTrack(Model.Visual!, Options.VisualFps);
        using var stop = cancel.Register(decoder.Stop);
        var threads = new List<Task>();
        if (_audio is not null) threads.Add(Task.Factory.StartNew(() => StopOnFailure(decoder, HearAudio), TaskCreationOptions.LongRunning));
        if (_visual is not null) threads.Add(Task.Factory.StartNew(() => StopOnFailure(decoder, WatchVideo), TaskCreationOptions.LongRunning));
        string? failure = null;
        try { Task.WaitAll(threads, CancellationToken.None); }   // each thread ends on its own when the decoder stops
        catch (AggregateException e) { failure = e.InnerExceptions[0].Message; decoder.Stop(); }
        string? problem = failure ?? decoder.Problem();
        lock (_gate)
        {
            _audio?.End();
            _visual?.End();
            Emit();
            return new LiveSummary(Summary(decoder.Name), decoder.Layout, _latencies.Count, _latencies.ToArray(), problem, cancel.IsCancellationRequested,
                Math.Max(_audio?.PeakHeldSeconds ?? 0, _visual?.PeakHeldSeconds ?? 0));
        }
    }

    /// <summary>A branch that fails stops the stream, so the other branch's thread ends too instead of waiting on a live source.</summary>
    private static void StopOnFailure(ILiveStream stream, Action<ILiveStream> branch)
    {
        try { branch(stream); }
        catch
        {
            stream.Stop();
            throw;
        }
    }

    private void HearAudio(ILiveStream decoder)
    {
        double rate = Decoding.SampleRate, heard = 0;
        foreach (var chunk in decoder.AudioChunks())
        {
            heard += chunk.Length / rate;
            _clock.Arrived(heard);
            _audio!.Add(chunk);
            lock (_gate) Emit();
        }
        _audio!.End();
        lock (_gate) Emit();
    }

    private void WatchVideo(ILiveStream decoder)
    {
        var visual = Model.Visual!;
        // One frame of look-ahead and detection frame by frame: a frame's answer waits for the next frame only.
        var tracker = new FaceTracker(visual.Tracker.Detector, new FaceTrackerOptions { Lookahead = 1, SmoothRadius = 1, DetectBatch = 1, DecodeAhead = 4 });
        foreach (var tracked in tracker.Stream(Arrivals(decoder.Frames())))
        {
            float[]? p = null;
            float weight = 0;
            if (tracked.Track.Face is { } face)
            {
                var crop = FaceCropper.Crop(tracked.Frame.Image, face, visual.Input.CropOptions);
                p = visual.Classify([crop]);
                weight = FaceQuality.Weight(crop);
            }
            lock (_gate)
            {
                _visual!.Add(tracked.Track.Time, p, weight);
                Emit();
            }
        }
        lock (_gate)
        {
            _visual!.End();
            Emit();
        }
    }

    /// <summary>The frames, each noted on the media clock as it arrives (the tracker reads ahead on its own thread).</summary>
    private IEnumerable<VideoFrame> Arrivals(IEnumerable<VideoFrame> frames)
    {
        foreach (var f in frames)
        {
            _clock.Arrived(f.Timestamp);
            yield return f;
        }
    }

    /// <summary>Under the lock: every window all branches have seen, in order; at the end of the stream, the rest (and the tail window a file's timeline has).</summary>
    private void Emit()
    {
        while (!_finished)
        {
            bool ended = (_audio?.DoneThrough ?? double.PositiveInfinity) == double.PositiveInfinity
                         && (_visual?.DoneThrough ?? double.PositiveInfinity) == double.PositiveInfinity;
            var window = TimeWindows.Regular(_next, Options.WindowSeconds, Options.WindowStep);
            if (ended)
            {
                double duration = Math.Max(_audio?.Received ?? 0, _visual?.Received ?? 0);
                if (duration <= 0) { _finished = true; return; }
                if (_next == 0 && duration <= Options.WindowSeconds) { Answer(new TimeInterval(0, duration)); _finished = true; return; }
                if (!TimeWindows.Fits(window, duration))
                {
                    if (TimeWindows.Tail(duration, Options.WindowSeconds, _lastEnd) is { } tail) Answer(tail);
                    _finished = true;
                    return;
                }
            }
            else if (!(_audio?.CanAnswer(window) ?? true) || (_visual?.DoneThrough ?? double.PositiveInfinity) < window.End)
                return;
            Answer(window);
            _next++;
            double release = TimeWindows.Regular(_next, Options.WindowSeconds, Options.WindowStep).Start;
            _audio?.Release(release);
            _visual?.Release(release);
        }
    }

    private void Answer(TimeInterval window)
    {
        var answers = new List<(string, ClassProbabilities?)>();
        if (_audio is not null) answers.Add((AudioBranch.BranchName, _audio.Answer(window)));
        if (_visual is not null) answers.Add((FaceBranch.BranchName, _visual.Answer(window)));
        var fused = Model.FuseWindow(window, answers);
        var shared = answers.ConvertAll(a => (a.Item1, a.Item2 is null ? null : Model.Shared(a.Item1, a.Item2)));
        // The clock is an estimate (from the earliest arrivals): a window answered as its last data arrives can come out a
        // hair before its end "played"; no answer precedes its media.
        double latency = Math.Max(0, _clock.Latency(window.End));
        _latencies.Add(latency);
        _lastEnd = window.End;
        _onWindow(new LiveWindow(window, fused, shared, latency));
    }

    private ClipPrediction Summary(string name)
    {
        var outputs = new List<BranchOutput>();
        if (WantAudio)
            outputs.Add(_audio?.Summary() ?? BranchOutput.Without(AudioBranch.BranchName, BranchStatus.NoStream, 0, "the stream has no audio"));
        if (WantVisual)
            outputs.Add(_visual?.Summary() ?? BranchOutput.Without(FaceBranch.BranchName, BranchStatus.NoStream, 0, "the stream has no video"));
        double duration = Math.Max(_audio?.Received ?? 0, _visual?.Received ?? 0);
        return Model.Fuse(name, duration, outputs, [], _clock.Now);
    }
}
