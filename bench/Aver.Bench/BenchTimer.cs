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
