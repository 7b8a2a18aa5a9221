namespace Aver.Tensors;

/// <summary>Process-wide engine settings: threads, instruction-set path, cache size, Winograd.</summary>
public static class Engine
{
    private static int _threads = Environment.ProcessorCount;
    private static IsaPath _isa = CpuFeatures.IsaFromEnvironment ?? CpuFeatures.Supported;
    private static int _l2 = CpuFeatures.L2BytesFromSysfs ?? CpuFeatures.DefaultL2Bytes;

    /// <summary>Threads used by kernels that parallelise over batch or channels, and by BLAS.</summary>
    public static int Threads
    {
        get => _threads;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "Threads must be at least 1");
            _threads = value;
            Blas.SetThreads(value);
        }
    }

    /// <summary>
    /// The instruction-set path kernels take: the CPU's best (<see cref="CpuFeatures.Supported"/>)
    /// unless AVER_ISA or this setter asks for a slower one, so every path can be run and tested on
    /// one machine. A faster path than the CPU has is refused.
    /// </summary>
    public static IsaPath Isa
    {
        get => _isa;
        set => _isa = Checked(value);
    }

    /// <summary>
    /// The L2 cache size in bytes that sizes the convolution's column tiles: read from sysfs, or
    /// <see cref="CpuFeatures.DefaultL2Bytes"/> where sysfs has none; settable to test or tune other sizes.
    /// </summary>
    public static int L2CacheBytes
    {
        get => _l2;
        set => _l2 = value >= 64 << 10 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "L2 cache size must be at least 64 KiB");
    }

    /// <summary>
    /// Whether 3x3 stride-1 convolutions use Winograd's F(4x4, 3x3) (on by default where the
    /// <see cref="Isa"/> path has AVX2; about 2-3x fewer multiplications; rounding errors up to about
    /// 6e-5 of the output's RMS against 4e-6 for im2col, measured on ResNet-18's layers). Off gives
    /// the im2col path everywhere.
    /// </summary>
    public static bool Winograd { get; set; } = Environment.GetEnvironmentVariable("AVER_WINOGRAD") != "0";

    internal static ParallelOptions ParallelOptions => new() { MaxDegreeOfParallelism = _threads };

    /// <summary>Runs <paramref name="body"/> for each i in [0, count), on up to <see cref="Threads"/> threads.</summary>
    public static void For(int count, Action<int> body)
    {
        if (count <= 0) return;
        if (_threads == 1 || count == 1) { for (int i = 0; i < count; i++) body(i); return; }
        Parallel.For(0, count, ParallelOptions, body);
    }

    private static IsaPath Checked(IsaPath path) => path <= CpuFeatures.Supported ? path
        : throw new ArgumentOutOfRangeException(nameof(Isa), path, $"this CPU supports {CpuFeatures.Supported} at most");
}
