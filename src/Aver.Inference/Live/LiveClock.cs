using System.Diagnostics;

namespace Aver.Inference.Live;

/// <summary>
/// The media clock of a live stream in wall time. A real-time source delivers the media of time t no earlier than
/// t after the stream began, so the earliest (arrival − media time) over everything received estimates when media
/// time 0 played; an answer's latency is how long after its window's end played it was given. Thread-safe.
/// </summary>
public sealed class LiveClock
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly object _gate = new();
    private double _origin = double.PositiveInfinity;

    /// <summary>Seconds since the session started.</summary>
    public double Now => _wall.Elapsed.TotalSeconds;

    /// <summary>Media up to <paramref name="mediaTime"/> has just arrived.</summary>
    public void Arrived(double mediaTime)
    {
        double origin = Now - mediaTime;
        lock (_gate) if (origin < _origin) _origin = origin;
    }

    /// <summary>Seconds between the moment media time <paramref name="mediaTime"/> played and now (0 before anything arrived).</summary>
    public double Latency(double mediaTime)
    {
        lock (_gate) return double.IsPositiveInfinity(_origin) ? 0 : Now - (_origin + mediaTime);
    }
}
