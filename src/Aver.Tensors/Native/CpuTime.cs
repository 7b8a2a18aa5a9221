using System.Runtime.InteropServices;

namespace Aver.Tensors.Native;

/// <summary>
/// CPU time from clock_gettime: of the process (CLOCK_PROCESS_CPUTIME_ID, what Python's time.process_time reads) or of
/// the calling thread (CLOCK_THREAD_CPUTIME_ID). Other load on the shared machine disturbs either far less than wall time.
/// Benchmarks time with it; <see cref="OpProfiler"/> sets it against wall time to show how well each op keeps the threads busy.
/// </summary>
public static partial class CpuTime
{
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Seconds, Nanoseconds; }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    private static double Seconds(int clock)
    {
        ClockGetTime(clock, out var t);
        return t.Seconds + t.Nanoseconds * 1e-9;
    }

    /// <summary>The process's CPU time in milliseconds.</summary>
    public static double ProcessMs() => Seconds(2 /* CLOCK_PROCESS_CPUTIME_ID */) * 1e3;

    /// <summary>The calling thread's CPU time in seconds.</summary>
    public static double ThreadSeconds() => Seconds(3 /* CLOCK_THREAD_CPUTIME_ID */);
}
