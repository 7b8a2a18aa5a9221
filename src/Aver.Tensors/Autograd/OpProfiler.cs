using System.Diagnostics;
using System.Globalization;

namespace Aver.Tensors;

/// <summary>
/// Time per op type, on when the environment variable <c>AVER_PROFILE=1</c> is set (dev-time
/// only; off, it costs one static bool test per op; <c>AVER_PROFILE=shapes</c> records each result shape apart). An op's forward time is the time since the
/// previous profiled event on the same thread (ops run their kernels before building the result,
/// so this is the kernel plus any module code before it); its backward time is its closure's run. Beside the wall
/// time it records the process's CPU time over the same interval: CPU / (wall x <see cref="Engine.Threads"/>) is how
/// busy the op kept the threads, so a serial stretch (an allocation, a single-threaded pass) shows as a low share.
/// </summary>
public static class OpProfiler
{
    /// <summary>True when profiling was requested by <c>AVER_PROFILE=1</c> or <c>AVER_PROFILE=shapes</c> (or set by a tool).</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("AVER_PROFILE") is "1" or "shapes";

    /// <summary>With <c>AVER_PROFILE=shapes</c>, ops are told apart by their result's shape (which layer of a network is slow).</summary>
    public static bool ByShape { get; set; } = Environment.GetEnvironmentVariable("AVER_PROFILE") == "shapes";

    /// <summary>The name an op of result shape <paramref name="shape"/> is recorded under.</summary>
    internal static string Name(string op, int[] shape) => ByShape ? op + " " + ShapeMath.Format(shape) : op;

    private static readonly Dictionary<string, (long Ticks, double CpuMs, long Count)> _totals = new();
    // When the previous profiled event on this thread ended (Ticks 0: none yet since Reset).
    [ThreadStatic] private static Stamp _mark;

    /// <summary>A moment as the profiler measures it: a <see cref="Stopwatch.GetTimestamp"/> and the process CPU time in ms.</summary>
    public readonly record struct Stamp(long Ticks, double CpuMs);

    /// <summary>Now, for <see cref="Since"/>.</summary>
    public static Stamp Now() => new(Stopwatch.GetTimestamp(), Native.CpuTime.ProcessMs());

    /// <summary>Starts the clock for the next forward op (call at the start of a step).</summary>
    public static void Mark() => _mark = Now();

    internal static void Forward(string op)
    {
        var now = Now();
        if (_mark.Ticks != 0) Add(op, now, _mark);
        _mark = now;
    }

    /// <summary>Adds the wall and CPU time since <paramref name="start"/> (<see cref="Now"/>) to <paramref name="name"/> and restarts the forward clock.</summary>
    public static void Since(string name, Stamp start)
    {
        var now = Now();
        Add(name, now, start);
        _mark = now;
    }

    private static void Add(string name, Stamp now, Stamp start)
    {
        lock (_totals)
        {
            _totals.TryGetValue(name, out var t);
            _totals[name] = (t.Ticks + now.Ticks - start.Ticks, t.CpuMs + now.CpuMs - start.CpuMs, t.Count + 1);
        }
    }

    /// <summary>Forgets what was recorded (e.g. after warm-up).</summary>
    public static void Reset()
    {
        lock (_totals) _totals.Clear();
        _mark = default;
    }

    /// <summary>
    /// Writes the totals, largest first: wall ms, share of the wall time, process CPU ms and how busy the threads
    /// were (CPU / (wall x threads)); then the same over all ops, and the garbage collector's counts and pause time.
    /// </summary>
    public static void Report(TextWriter writer)
    {
        List<KeyValuePair<string, (long Ticks, double CpuMs, long Count)>> rows;
        lock (_totals) rows = _totals.ToList();
        rows.Sort((a, b) => b.Value.Ticks.CompareTo(a.Value.Ticks));
        double total = rows.Sum(r => (double)r.Value.Ticks);
        var inv = CultureInfo.InvariantCulture;
        string Busy(double cpuMs, double wallMs) => wallMs > 0 ? $"{100 * cpuMs / (wallMs * Engine.Threads),5:F0}%" : "     -";
        writer.WriteLine(string.Create(inv, $"{"op",-32} {"ms",10} {"calls",8} {"share",7} {"cpu ms",10} {"busy",6}"));
        foreach (var (name, (ticks, cpu, count)) in rows)
        {
            double ms = ticks * 1000.0 / Stopwatch.Frequency;
            writer.WriteLine(string.Create(inv, $"{name,-32} {ms,10:F1} {count,8} {100 * ticks / total,6:F1}% {cpu,10:F1} {Busy(cpu, ms)}"));
        }
        double allMs = total * 1000.0 / Stopwatch.Frequency, allCpu = rows.Sum(r => r.Value.CpuMs);
        writer.WriteLine(string.Create(inv, $"{"all ops",-32} {allMs,10:F1} {"",8} {"",7} {allCpu,10:F1} {Busy(allCpu, allMs)}"));
        writer.WriteLine(string.Create(inv,
            $"GC: gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, pause {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms, allocated {GC.GetTotalAllocatedBytes() / 1e9:F1} GB"));
    }
}
