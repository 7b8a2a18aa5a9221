using System.Diagnostics;
using System.Globalization;
using Aver.Tensors;

namespace Aver.Bench;

/// <summary>The timing rule shared with torch_bench.py, and the JSON line both engines print.</summary>
internal static class BenchTimer
{
    /// <summary>
    /// Two warm-up steps, then steps until at least <paramref name="seconds"/> have passed and at
    /// least three steps ran; returns items per second over the timed steps and the process CPU
    /// time (user + system) per item in ms.
    /// </summary>
    public static (double Rate, double CpuMsPerItem) Run(Action step, int items, double seconds)
    {
        step();
        step();
        OpProfiler.Reset();
        int n = 0;
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            OpProfiler.Mark();
            step();
            n++;
            double dt = clock.Elapsed.TotalSeconds;
            if (dt >= seconds && n >= 3)
            {
                process.Refresh();
                return (n * items / dt, (process.TotalProcessorTime - cpu0).TotalMilliseconds / (n * items));
            }
        }
    }

    /// <summary>
    /// A/B inside one process: steps alternate between <paramref name="set"/>(false) and <paramref name="set"/>(true),
    /// each timed alone, for at least <paramref name="seconds"/> after two warm-up steps of each, so that a host whose
    /// speed drifts from minute to minute slows both alike. Returns items per second of each (from the median step)
    /// and the median over adjacent pairs of (B step time / A step time).
    /// </summary>
    public static (double RateA, double RateB, double MedianTimeRatio, int Pairs) Alternate(Action step, Action<bool> set, int items, double seconds)
    {
        for (int k = 0; k < 4; k++) { set(k % 2 == 1); step(); }
        var a = new List<double>();
        var b = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds || a.Count < 3)
        {
            // ABBA order within each pair of pairs, so that neither side always follows the other
            bool bFirst = a.Count % 2 == 1;
            for (int k = 0; k < 2; k++)
            {
                bool useB = (k == 0) == bFirst;
                set(useB);
                long t = Stopwatch.GetTimestamp();
                step();
                (useB ? b : a).Add(Stopwatch.GetElapsedTime(t).TotalSeconds);
            }
        }
        var ratios = new List<double>();
        for (int i = 0; i < a.Count; i++) ratios.Add(b[i] / a[i]);
        return (items / Median(a), items / Median(b), Median(ratios), a.Count);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>Peak resident set size of this process in MB (VmHWM, what getrusage's ru_maxrss reports).</summary>
    public static double PeakRssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }

    public static string JsonLine(string bench, (double Rate, double CpuMsPerItem) result, int threads) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"bench\": \"{bench}\", \"items_per_s\": {result.Rate}, \"cpu_ms_per_item\": {result.CpuMsPerItem}, \"peak_rss_mb\": {PeakRssMb()}, \"threads\": {threads}}}");
}
