using Aver.Features;
using Aver.Features.Vad;
using Aver.Inference.Branches;
using Aver.Media;

namespace Aver.Inference.Live;

/// <summary>
/// An audio CNN over a stream: each window's samples are run as a clip once the window has been heard, as a file's
/// timeline windows are (<see cref="LogMelAudioBranch.Run"/>); a window with no speech has no audio answer. The
/// stream's summary is the mean of the answered windows' logits (a stream has no centre to score).
/// Memory: the samples of the windows not yet answered.
/// </summary>
internal sealed class LiveLogMelTrack(LogMelAudioBranch branch, object gate) : ILiveAudioTrack
{
    private readonly HeldSamples _held = new(branch.SampleRate);
    private double _releaseBefore;
    private readonly float[] _logitSum = new float[branch.Labels.Count];
    private int _answered;
    private bool _ended;
    private string? _silence;

    private double Rate => branch.SampleRate;

    public double PeakHeldSeconds => _held.PeakSeconds;

    public double Received { get { lock (gate) return _held.End / Rate; } }

    public double DoneThrough => _ended ? double.PositiveInfinity : _held.End / Rate;

    public void Add(float[] chunk)
    {
        lock (gate) _held.Append(chunk, (long)Math.Floor(_releaseBefore * Rate));
    }

    public void End()
    {
        lock (gate) _ended = true;
    }

    public void Release(double seconds) => _releaseBefore = Math.Max(_releaseBefore, seconds);

    public ClassProbabilities? Answer(TimeInterval window)
    {
        if (_held.Window(window) is not { } clip) return null;
        if (SpeechPresence.Check(clip) is { HasSpeech: false } quiet)
        {
            _silence = quiet.Reason;
            return null;
        }
        var logits = branch.Logits([clip]);
        for (int k = 0; k < logits.Length; k++) _logitSum[k] += logits[k];
        _answered++;
        return branch.Probabilities(logits, 0);
    }

    public BranchOutput Summary()
    {
        double duration = _held.End / Rate;
        if (_answered == 0)
            return BranchOutput.Without(LogMelAudioBranch.BranchName, BranchStatus.Silent, 0, _silence ?? "silent: no speech heard") with { Duration = duration };
        var mean = new float[_logitSum.Length];
        for (int k = 0; k < mean.Length; k++) mean[k] = _logitSum[k] / _answered;
        return new BranchOutput(LogMelAudioBranch.BranchName, BranchStatus.Used, branch.Probabilities(mean, 0), [], _answered, duration, null);
    }
}
