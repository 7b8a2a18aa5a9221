using Aver.Features;
using Aver.Data.Labels;
using Aver.Inference.Branches;

namespace Aver.Inference.Live;

/// <summary>
/// The visual branch over a stream: each tracked frame's probabilities (when it has a face) as it comes; a window's
/// answer is the mean over its frames, the stream's the mean over all, as a file's are (<see cref="FaceBranch.Run(string, double, IReadOnlyList{Aver.Features.TimeInterval})"/>).
/// Memory: the frames of the windows not yet answered and one running sum. Every member runs under the session's lock.
/// </summary>
internal sealed class LiveVisualTrack(FaceBranch branch, double fps)
{
    private readonly Queue<(double Time, float[] P)> _recent = new();
    private readonly double[] _sum = new double[branch.Labels.Count];
    private int _frames, _faces;
    private double _doneThrough;
    private bool _ended;

    /// <summary>Every frame before this time has been tracked and classified (infinite once the stream has ended).</summary>
    public double DoneThrough => _ended ? double.PositiveInfinity : _doneThrough;

    /// <summary>The most video (seconds of frames) held at once for unanswered windows.</summary>
    public double PeakHeldSeconds { get; private set; }

    /// <summary>Seconds of video received.</summary>
    public double Received => _frames / fps;

    /// <summary>Frame at <paramref name="time"/> tracked: its probabilities, or null when it has no face.</summary>
    public void Add(double time, float[]? probabilities)
    {
        _frames++;
        _doneThrough = Math.Max(_doneThrough, time + 1 / fps);
        if (probabilities is null) return;
        _faces++;
        for (int k = 0; k < _sum.Length; k++) _sum[k] += probabilities[k];
        _recent.Enqueue((time, probabilities));
        PeakHeldSeconds = Math.Max(PeakHeldSeconds, _recent.Count / fps);
    }

    public void End() => _ended = true;

    /// <summary>Frames before <paramref name="seconds"/> belong to answered windows only.</summary>
    public void Release(double seconds)
    {
        while (_recent.Count > 0 && _recent.Peek().Time < seconds) _recent.Dequeue();
    }

    /// <summary>The mean over the window's frames with a face, or null when it has none.</summary>
    public ClassProbabilities? Answer(TimeInterval window)
    {
        var mean = new float[_sum.Length];
        int n = 0;
        foreach (var (time, p) in _recent)
        {
            if (!window.Contains(time)) continue;
            n++;
            for (int k = 0; k < mean.Length; k++) mean[k] += p[k];
        }
        if (n == 0) return null;
        for (int k = 0; k < mean.Length; k++) mean[k] /= n;
        return new ClassProbabilities(branch.Labels, mean);
    }

    /// <summary>The whole stream's answer: the mean over every frame with a face.</summary>
    public BranchOutput Summary()
    {
        if (_frames == 0) return BranchOutput.Without(FaceBranch.BranchName, BranchStatus.Failed, 0, "the video stream had no frames");
        if (_faces == 0)
            return BranchOutput.Without(FaceBranch.BranchName, BranchStatus.NoFace, 0, $"no face found in any of the {_frames} frames sampled at {fps:0.##} fps") with { Duration = Received };
        var mean = new float[_sum.Length];
        for (int k = 0; k < mean.Length; k++) mean[k] = (float)(_sum[k] / _faces);
        return new BranchOutput(FaceBranch.BranchName, BranchStatus.Used, new ClassProbabilities(branch.Labels, mean), [], _faces, Received, null);
    }
}
