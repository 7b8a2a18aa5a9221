using Aver.Features;
using Aver.Features.Vad;
using Aver.Inference.Branches;
using Aver.Media;

namespace Aver.Inference.Live;

/// <summary>
/// An audio CNN over a stream: each window is answered by the clip length of audio centred on it, as a file's timeline
/// windows are (<see cref="LogMelAudioBranch.Context"/>), once that context has been heard; a window with no speech
/// has no audio answer. The stream's summary is the mean logits of the distinct contexts answered (a stream has no
/// centre to score). Memory: the samples of the windows not yet answered and a clip length before them.
/// </summary>
internal sealed class LiveLogMelTrack(LogMelAudioBranch branch, object gate) : ILiveAudioTrack
{
    private readonly HeldSamples _held = new(branch.SampleRate);
    private double _releaseBefore;
    private readonly float[] _logitSum = new float[branch.Labels.Count];
    private int _answered;
    private TimeInterval? _lastContext;
    private float[]? _lastLogits;
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

    /// <summary>The stream's length once it has ended; until then it has none, and no context is shifted back from it.</summary>
    private double Duration => _ended ? _held.End / Rate : double.PositiveInfinity;

    public bool CanAnswer(TimeInterval window)
    {
        if (_ended) return true;
        var snapped = branch.SnappedWindow(window, Duration);
        return _held.End / Rate >= Math.Max(snapped.End, branch.Context(snapped, Duration).End);
    }

    // A later window's context may reach back a clip length and a hop before its start (near the end, the last contexts
    // are shifted back to fit): keep that much.
    public void Release(double seconds) =>
        _releaseBefore = Math.Max(_releaseBefore, seconds - branch.FrontEnd.Options.ClipSeconds - branch.FrontEnd.Options.EvalHopSeconds);

    public ClassProbabilities? Answer(TimeInterval window)
    {
        var snapped = branch.SnappedWindow(window, Duration);
        if (_held.Window(snapped) is not { } heard) return null;
        if (SpeechPresence.Check(heard) is { HasSpeech: false } quiet)
        {
            _silence = quiet.Reason;
            return null;
        }
        var context = branch.Context(snapped, Duration);
        if (context != _lastContext)
        {
            if (_held.Window(context) is not { } clip) return null;
            _lastLogits = branch.Logits([clip]);
            _lastContext = context;
            for (int k = 0; k < _lastLogits.Length; k++) _logitSum[k] += _lastLogits[k];
            _answered++;
        }
        return branch.Probabilities(_lastLogits, 0);
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
