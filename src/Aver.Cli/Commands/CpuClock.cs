using System.Runtime.InteropServices;

namespace Aver.Cli.Commands;

/// <summary>
/// CPU seconds used by this process and its finished children (ffmpeg decoders) from getrusage, so a
/// benchmark on a shared, overloaded machine can report work done per CPU-second as well as per wall-second.
/// Returns null where getrusage is unavailable.
/// </summary>
internal static partial class CpuClock
{
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal { public long Seconds, Microseconds; }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public TimeVal User, System;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVCsw, NIvCsw;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRUsage(int who, out RUsage usage);

    private const int Self = 0, Children = -1;

    /// <summary>User + system seconds of this process plus its waited-for children, or null off Linux.</summary>
    public static double? Now()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            if (GetRUsage(Self, out var s) != 0 || GetRUsage(Children, out var c) != 0) return null;
            static double Sec(TimeVal t) => t.Seconds + t.Microseconds / 1e6;
            return Sec(s.User) + Sec(s.System) + Sec(c.User) + Sec(c.System);
        }
        catch (DllNotFoundException) { return null; }
        catch (EntryPointNotFoundException) { return null; }
    }
}
