using Aver.Features;
using Aver.Data.Labels;
using Aver.Features.Mrpn;
using Aver.Features.Signal;
using Aver.Features.Vad;
using Aver.Inference.Branches;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Inference.Live;

/// <summary>
/// The audio branch over a stream heard a chunk at a time. Each 1-s segment (every 0.2 s, MRPN §4.4) goes through the
/// extractor once, as soon as its last sample arrives; a window's answer aggregates the segments centred in it, as
/// batch prediction's timeline does (<see cref="AudioBranch.Run"/>). What differs from a file: the clip-wide
/// standardisation (§4.4 item 3) uses the statistics heard so far, and silence is judged per window.
/// Memory: the samples of the windows not yet answered, and one feature vector per segment (D floats per 0.2 s).
/// </summary>
/// <remarks>
/// <see cref="Add"/> and <see cref="End"/> run on the audio thread; everything else under the session's lock,
/// which <see cref="Add"/> also takes to change what the other methods read.
/// </remarks>
internal sealed class LiveAudioTrack(AudioBranch branch, object gate) : ILiveAudioTrack
{
    private readonly MrpnAudioOptions _o = branch.Features;
    private readonly Standardization.Running _stats = new();
    private readonly HeldSamples _held = new(branch.Features.SampleRate);
    private long _nextSegment;           // the first segment not yet through the extractor
    private double _releaseBefore;       // seconds: windows before this are answered (set under the lock)
    private readonly List<float> _features = [];
    private readonly List<double> _centres = [];
    private int _dim;
    private bool _heardSpeech, _ended;
    private string? _silence;

    private double Rate => _o.SampleRate;
    private double SegmentSeconds => _o.SegmentSamples / Rate;

    /// <summary>The most audio (seconds) held at once: the unanswered windows' and the next segment's samples, never the stream.</summary>
    public double PeakHeldSeconds => _held.PeakSeconds;

    /// <summary>Seconds of audio received.</summary>
    public double Received { get { lock (gate) return _held.End / Rate; } }

    /// <summary>Every segment centred before this time has its features (infinite once the stream has ended).</summary>
    public double DoneThrough => _ended ? double.PositiveInfinity : _nextSegment * _o.SegmentHopSamples / Rate + SegmentSeconds / 2;

    /// <summary>Audio thread: a chunk of samples at the front end's rate has arrived.</summary>
    public void Add(float[] chunk)
    {
        lock (gate) Append(chunk);
        _stats.Add(chunk);
        long received = _held.End;
        long ready = received >= _o.SegmentSamples ? (received - _o.SegmentSamples) / _o.SegmentHopSamples + 1 : 0;
        if (ready > _nextSegment) Extract(ready);
    }

    /// <summary>Audio thread: the stream has ended. A stream shorter than one segment is zero-padded to one, as a short file is.</summary>
    public void End()
    {
        if (_nextSegment == 0 && _held.End > 0) Extract(1);
        lock (gate) _ended = true;
    }

    /// <summary>Segments [_nextSegment, end) through the front end and the extractor, then published under the lock.</summary>
    private void Extract(long end)
    {
        long start = _nextSegment * _o.SegmentHopSamples;
        long stop = Math.Min(_held.End, (end - 1) * _o.SegmentHopSamples + _o.SegmentSamples);
        var segments = branch.Pooled(MrpnAudio.Segments(_held.Span(start, stop), _stats.Value, _o, start));
        var features = branch.StepFeatures(segments.Spectrograms);
        lock (gate)
        {
            _dim = features.Dim(1);
            _features.AddRange(features.Data);
            foreach (var t in segments.Times) _centres.Add((t.Start + t.End) / 2);
            _nextSegment += segments.Count;
        }
    }

    /// <summary>Appends a chunk, first dropping samples no window and no segment needs any more.</summary>
    private void Append(float[] chunk) =>
        _held.Append(chunk, Math.Min((long)Math.Floor(_releaseBefore * Rate), _nextSegment * _o.SegmentHopSamples));

    /// <summary>Under the lock: windows ending before <paramref name="seconds"/> are answered, their samples may go.</summary>
    public void Release(double seconds) => _releaseBefore = Math.Max(_releaseBefore, seconds);

    /// <summary>Under the lock: the window's answer from the segments centred in it, or null (silent, or no segment centred in it).</summary>
    public ClassProbabilities? Answer(TimeInterval window)
    {
        if (_held.Window(window) is { } heard && SpeechPresence.Check(heard) is { HasSpeech: false } quiet)
        {
            _silence = quiet.Reason;
            return null;
        }
        var (first, end) = AudioBranch.CentredIn(_centres, window);
        if (end <= first) return null;
        _heardSpeech = true;
        return branch.Aggregate(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_features).Slice(first * _dim, (end - first) * _dim), end - first);
    }

    /// <summary>Under the lock: the whole stream's answer (every segment heard, aggregated as a file's are).</summary>
    public BranchOutput Summary()
    {
        double duration = _held.End / Rate;
        if (_centres.Count == 0 || !_heardSpeech)
            return BranchOutput.Without(AudioBranch.BranchName, BranchStatus.Silent, 0, _silence ?? "silent: no speech heard") with { Duration = duration };
        var clip = branch.Aggregate(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_features), _centres.Count);
        return new BranchOutput(AudioBranch.BranchName, BranchStatus.Used, clip, [], _centres.Count, duration, null);
    }
}
