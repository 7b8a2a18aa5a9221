using Aver.Features;
using Aver.Data.Labels;
using Aver.Inference.Branches;

namespace Aver.Inference.Live;

/// <summary>
/// The visual branch over a stream: each tracked frame's probabilities and quality weight (when it has a face) as it
/// comes; a window's answer is the weighted mean over its frames, the stream's over all, as a file's are
/// (<see cref="FaceBranch.Run(string, double, IReadOnlyList{TimeInterval})"/>, <see cref="FrameMean"/>). Memory: the
/// frames of the windows not yet answered and one running mean. Every member runs under the session's lock.
/// </summary>
internal sealed class LiveVisualTrack(FaceBranch branch, double fps)
{
    private readonly Queue<(double Time, float[] P, float Weight)> _recent = new();
    private readonly FrameMean _all = new(branch.Labels.Count);
    private int _frames;
    private double _doneThrough;
    private bool _ended;

    /// <summary>Every frame before this time has been tracked and classified (infinite once the stream has ended).</summary>
    public double DoneThrough => _ended ? double.PositiveInfinity : _doneThrough;

    /// <summary>The most video (seconds of frames) held at once for unanswered windows.</summary>
    public double PeakHeldSeconds { get; private set; }

    /// <summary>Seconds of video received.</summary>
    public double Received => _frames / fps;

    /// <summary>Frame at <paramref name="time"/> tracked: its probabilities and weight (<see cref="FaceQuality.Weight"/>), or null when it has no face.</summary>
    public void Add(double time, float[]? probabilities, float weight)
    {
        _frames++;
        _doneThrough = Math.Max(_doneThrough, time + 1 / fps);
        if (probabilities is null) return;
        _all.Add(probabilities, weight);
        _recent.Enqueue((time, probabilities, weight));
        PeakHeldSeconds = Math.Max(PeakHeldSeconds, _recent.Count / fps);
    }

    public void End() => _ended = true;

    /// <summary>Frames before <paramref name="seconds"/> belong to answered windows only.</summary>
    public void Release(double seconds)
    {
        while (_recent.Count > 0 && _recent.Peek().Time < seconds) _recent.Dequeue();
    }

    /// <summary>The weighted mean over the window's frames with a face, or null when it has none.</summary>
    public ClassProbabilities? Answer(TimeInterval window)
    {
        var mean = new FrameMean(branch.Labels.Count);
        foreach (var (time, p, weight) in _recent)
            if (window.Contains(time)) mean.Add(p, weight);
        return mean.Mean() is { } m ? new ClassProbabilities(branch.Labels, m) : null;
    }

    /// <summary>The whole stream's answer: the weighted mean over every frame with a face.</summary>
    public BranchOutput Summary()
    {
        if (_frames == 0) return BranchOutput.Without(FaceBranch.BranchName, BranchStatus.Failed, 0, "the video stream had no frames");
        if (_all.Mean() is not { } mean)
            return BranchOutput.Without(FaceBranch.BranchName, BranchStatus.NoFace, 0, $"no face found in any of the {_frames} frames sampled at {fps:0.##} fps") with { Duration = Received };
        return new BranchOutput(FaceBranch.BranchName, BranchStatus.Used, new ClassProbabilities(branch.Labels, mean), [], _all.Count, Received, null);
    }
}
