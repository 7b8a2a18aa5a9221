using System.Diagnostics;
using System.Globalization;

namespace Aver.Tensors;

/// <summary>
/// Time per op type, on when the environment variable <c>AVER_PROFILE=1</c> is set (dev-time
/// only; off, it costs one static bool test per op; <c>AVER_PROFILE=shapes</c> records each result shape apart). An op's forward time is the time since the
/// previous profiled event on the same thread (ops run their kernels before building the result,
/// so this is the kernel plus any module code before it); its backward time is its closure's run.
/// </summary>
public static class OpProfiler
{
    /// <summary>True when profiling was requested by <c>AVER_PROFILE=1</c> or <c>AVER_PROFILE=shapes</c> (or set by a tool).</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("AVER_PROFILE") is "1" or "shapes";

    /// <summary>With <c>AVER_PROFILE=shapes</c>, ops are told apart by their result's shape (which layer of a network is slow).</summary>
    public static bool ByShape { get; set; } = Environment.GetEnvironmentVariable("AVER_PROFILE") == "shapes";

    /// <summary>The name an op of result shape <paramref name="shape"/> is recorded under.</summary>
    internal static string Name(string op, int[] shape) => ByShape ? op + " " + ShapeMath.Format(shape) : op;

    private static readonly Dictionary<string, (long Ticks, long Count)> _totals = new();
    [ThreadStatic] private static long _mark;

    /// <summary>Starts the clock for the next forward op (call at the start of a step).</summary>
    public static void Mark() => _mark = Stopwatch.GetTimestamp();

    internal static void Forward(string op)
    {
        long now = Stopwatch.GetTimestamp();
        if (_mark != 0) Add(op, now - _mark);
        _mark = now;
    }

    /// <summary>Adds the time since <paramref name="start"/> (a <see cref="Stopwatch.GetTimestamp"/>) to <paramref name="name"/> and restarts the forward clock.</summary>
    public static void Since(string name, long start)
    {
        long now = Stopwatch.GetTimestamp();
        Add(name, now - start);
        _mark = now;
    }

    private static void Add(string name, long ticks)
    {
        lock (_totals)
        {
            _totals.TryGetValue(name, out var t);
            _totals[name] = (t.Ticks + ticks, t.Count + 1);
        }
    }

    /// <summary>Forgets what was recorded (e.g. after warm-up).</summary>
    public static void Reset()
    {
        lock (_totals) _totals.Clear();
        _mark = 0;
    }

    /// <summary>Writes the totals, largest first, with their share, and the garbage collector's counts and pause time.</summary>
    public static void Report(TextWriter writer)
    {
        List<KeyValuePair<string, (long Ticks, long Count)>> rows;
        lock (_totals) rows = _totals.ToList();
        rows.Sort((a, b) => b.Value.Ticks.CompareTo(a.Value.Ticks));
        double total = rows.Sum(r => (double)r.Value.Ticks);
        var inv = CultureInfo.InvariantCulture;
        writer.WriteLine(string.Create(inv, $"{"op",-32} {"ms",10} {"calls",8} {"share",7}"));
        foreach (var (name, (ticks, count)) in rows)
            writer.WriteLine(string.Create(inv, $"{name,-32} {ticks * 1000.0 / Stopwatch.Frequency,10:F1} {count,8} {100 * ticks / total,6:F1}%"));
        writer.WriteLine(string.Create(inv,
            $"GC: gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}, pause {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms, allocated {GC.GetTotalAllocatedBytes() / 1e9:F1} GB"));
    }
}
