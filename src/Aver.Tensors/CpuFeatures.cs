using System.Runtime.Intrinsics.X86;

namespace Aver.Tensors;

/// <summary>The instruction sets a kernel may take its fast path with, from slowest to fastest.</summary>
public enum IsaPath
{
    /// <summary>Portable code only (<c>System.Numerics.Vector</c>, <c>Vector128</c> in the elementwise families, and scalar loops); no Winograd.</summary>
    Scalar,
    /// <summary>AVX2 and FMA: 256-bit kernels (Winograd, stride-2 im2col gathers, the elementwise families).</summary>
    Avx2,
    /// <summary>AVX-512 F/BW/VL: 512-bit kernels where a kernel has them, 256-bit ones elsewhere.</summary>
    Avx512,
}

/// <summary>What the CPU offers: its model name, best instruction-set path and L2 cache size.</summary>
public static class CpuFeatures
{
    /// <summary>The fastest path this CPU runs.</summary>
    public static IsaPath Supported { get; } =
        Avx512F.IsSupported && Avx512BW.IsSupported && Avx512F.VL.IsSupported && Fma.IsSupported ? IsaPath.Avx512
        : Avx2.IsSupported && Fma.IsSupported ? IsaPath.Avx2
        : IsaPath.Scalar;

    /// <summary>The CPU's model name from /proc/cpuinfo, or the architecture where it cannot be read.</summary>
    public static string ModelName { get; } = ReadModelName() ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();

    /// <summary>
    /// Whether the CPU has AVX512_BF16 (bfloat16 dot products), from /proc/cpuinfo's flags (.NET has no intrinsics class
    /// for it). Aver computes in fp32 everywhere today; `aver info` reports it so a bf16 path can be judged per machine.
    /// </summary>
    public static bool HasAvx512Bf16 { get; } = ReadFlags().Contains("avx512_bf16");

    /// <summary>
    /// Time per 512-bit multiply-add over time per 256-bit one, measured at start-up (<see cref="Kernels.FmaWidthProbe"/>):
    /// about 1 where the core has full-width AVX-512 FMA units (Zen 5), about 2 where it splits them (Zen 4); NaN without AVX-512.
    /// </summary>
    public static double Fma512TimeRatio { get; } = Kernels.FmaWidthProbe.WideOverNarrowTime();

    /// <summary>Whether 512-bit multiply-adds run at the rate of 256-bit ones (<see cref="Fma512TimeRatio"/> under 1.5).</summary>
    public static bool FullRateAvx512Fma => Kernels.FmaWidthProbe.FullRate(Fma512TimeRatio);

    /// <summary>Bytes of the L2 cache of CPU 0 from Linux's sysfs, or null where sysfs does not say (some VMs).</summary>
    public static int? L2BytesFromSysfs { get; } = ReadL2();

    /// <summary>The L2 size kernels assume where sysfs is silent: 1 MiB, the middle of the CPUs seen (512 KiB Zen 1 to 2 MiB Xeon).</summary>
    public const int DefaultL2Bytes = 1 << 20;

    /// <summary>
    /// The path AVER_ISA (scalar, avx2, avx512) asks for, null when unset; <see cref="IsaEnvironmentError"/>
    /// says why a value was ignored (not a path, or one this CPU lacks: forcing it would run
    /// instructions the CPU does not have).
    /// </summary>
    public static IsaPath? IsaFromEnvironment { get; }

    /// <summary>One line on what is wrong with AVER_ISA, or null; the command line refuses to run with it.</summary>
    public static string? IsaEnvironmentError { get; }

    static CpuFeatures()
    {
        var v = Environment.GetEnvironmentVariable("AVER_ISA");
        if (string.IsNullOrEmpty(v)) return;
        if (!Enum.TryParse<IsaPath>(v, ignoreCase: true, out var path) || !Enum.IsDefined(path) || int.TryParse(v, out _))
            IsaEnvironmentError = $"AVER_ISA={v}: expected scalar, avx2 or avx512";
        else if (path > Supported)
            IsaEnvironmentError = $"AVER_ISA={v}: this CPU supports {Supported.ToString().ToLowerInvariant()} at most";
        else IsaFromEnvironment = path;
    }

    private static string? ReadModelName()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int at and > 0)
                    return line[(at + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    private static HashSet<string> ReadFlags()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("flags", StringComparison.Ordinal) && line.IndexOf(':') is int at and > 0)
                    return [.. line[(at + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return [];
    }

    private static int? ReadL2()
    {
        try
        {
            const string dir = "/sys/devices/system/cpu/cpu0/cache";
            if (!Directory.Exists(dir)) return null;
            foreach (var index in Directory.GetDirectories(dir, "index*"))
            {
                string levelFile = Path.Combine(index, "level"), sizeFile = Path.Combine(index, "size");
                if (!File.Exists(levelFile) || !File.Exists(sizeFile) || File.ReadAllText(levelFile).Trim() != "2") continue;
                string size = File.ReadAllText(sizeFile).Trim();
                int scale = size.EndsWith('K') ? 1 << 10 : size.EndsWith('M') ? 1 << 20 : 1;
                return int.TryParse(size.TrimEnd('K', 'M'), out int n) && n > 0 ? n * scale : null;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
