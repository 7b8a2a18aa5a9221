using System.Diagnostics;
using Aver.Tensors;
using Aver.Tensors.Kernels;

namespace Aver.Bench;

/// <summary>
/// The machine's ceiling for compute-bound code: register-only multiply-add chains (no loads; FmaWidthProbe's loops), on 1 and then on every
/// thread asked for, in GFLOP/s (an FMA counts two). Where the second thread adds far less than the first gave, the
/// "cores" share their multiply-add units (SMT siblings, or a busy host), and a kernel already near the one-thread
/// ceiling cannot double with two: the yardstick for the ResNet-18 training ratio (bench/README.md).
/// </summary>
internal static class FmaPeakBench
{
    private const int StepsPerCall = 1 << 16;

    public static void Run(int threads, double seconds, TextWriter output)
    {
        bool wide = Engine.Isa >= IsaPath.Avx512;
        int lanes = wide ? 16 : 8;
        output.WriteLine($"| threads | GFLOP/s ({(wide ? 512 : 256)}-bit FMA, 12 chains per thread) | per thread |");
        output.WriteLine("|---:|---:|---:|");
        for (int t = 1; t <= threads; t++)
        {
            double best = 0;
            for (int round = 0; round < 3; round++) best = Math.Max(best, Measure(t, seconds / 3 / threads, wide));
            double gflops = best * 12 * 2 * lanes / 1e9;
            output.WriteLine($"| {t} | {gflops:F0} | {gflops / t:F0} |");
        }
    }

    /// <summary>FMA steps (12 chains each) per second over <paramref name="threads"/> threads running side by side.</summary>
    private static double Measure(int threads, double seconds, bool wide)
    {
        var counts = new long[threads];
        using var start = new Barrier(threads + 1);
        long stopAt = 0;
        var workers = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            int id = i;
            workers[i] = new Thread(() =>
            {
                start.SignalAndWait();
                long n = 0;
                float sink = 0;
                while (Stopwatch.GetTimestamp() < Volatile.Read(ref stopAt))
                {
                    sink += wide ? FmaWidthProbe.Run512(StepsPerCall) : FmaWidthProbe.Run256(StepsPerCall);
                    n += StepsPerCall;
                }
                counts[id] = float.IsNaN(sink) ? 0 : n;
            });
            workers[i].Start();
        }
        long begin = Stopwatch.GetTimestamp();
        Volatile.Write(ref stopAt, begin + (long)(seconds * Stopwatch.Frequency));
        start.SignalAndWait();
        foreach (var w in workers) w.Join();
        double elapsed = (double)(Stopwatch.GetTimestamp() - begin) / Stopwatch.Frequency;
        long total = 0;
        foreach (long c in counts) total += c;
        return total / elapsed;
    }
}
