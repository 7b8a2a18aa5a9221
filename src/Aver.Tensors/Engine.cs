namespace Aver.Tensors;

/// <summary>The arithmetic of the large matrix products: fp32, or bf16 inputs with fp32 sums.</summary>
public enum Precision { Fp32, Bf16 }

/// <summary>Process-wide engine settings: threads, instruction-set path, cache size, Winograd, packed matrix products, precision.</summary>
public static class Engine
{
    private static int _threads = Environment.ProcessorCount;
    private static IsaPath _isa = CpuFeatures.IsaFromEnvironment ?? CpuFeatures.Supported;
    private static int _l2 = CpuFeatures.L2BytesFromSysfs ?? CpuFeatures.DefaultL2Bytes;

    // Iterations of For running on this thread: loops and matrix products nested in one stay on its thread.
    [ThreadStatic] private static int _loopDepth;

    /// <summary>Threads used by kernels that parallelise over batch or channels, and by matrix products.</summary>
    public static int Threads
    {
        get => _threads;
        set => _threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Threads must be at least 1");
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

    /// <summary>
    /// Whether <see cref="Blas"/> hands products to Aver's packed AVX-512 kernel (the ones <see cref="Kernels.PackedGemm.Serves"/>
    /// names) instead of OpenBLAS; on by default. Where the CPU runs 512-bit multiply-adds at full rate
    /// (<see cref="CpuFeatures.FullRateAvx512Fma"/>) the kernel measured 1.2-2.7x OpenBLAS's Haswell kernel on every
    /// shape; at half rate (Zen 4) it takes the shape classes measured faster, and whole steps ran 1-8 % faster with it
    /// (bench/README.md, session 19: every bench, the two settings alternating step by step in one process).
    /// AVER_PACKED_GEMM=0 turns it off. Either way the packed kernel stands in for a missing OpenBLAS on the AVX2 and
    /// AVX-512 paths.
    /// </summary>
    public static bool PackedGemm { get; set; } = Environment.GetEnvironmentVariable("AVER_PACKED_GEMM") != "0";

    /// <summary>
    /// Whether the packed kernel takes every product: <see cref="PackedGemm"/> on, on the AVX-512 path, where 512-bit
    /// multiply-adds run at full rate (<see cref="Kernels.PackedGemm.Serves"/>); it also moves where Winograd pays
    /// (<see cref="Kernels.Winograd.MinTilesPerImage"/>).
    /// </summary>
    public static bool PackedGemmEverywhere => PackedGemm && _isa >= IsaPath.Avx512 && CpuFeatures.FullRateAvx512Fma;

    private static Precision _precision = PrecisionFromEnvironment(out _precisionEnvironmentError);
    private static readonly string? _precisionEnvironmentError;

    /// <summary>
    /// The precision of the large matrix products (<see cref="Blas"/>): fp32 everywhere by default; <see cref="Precision.Bf16"/>
    /// (AVER_PRECISION=bf16, `--precision bf16`) rounds their inputs to bfloat16 and sums in fp32 on a CPU with AVX512_BF16,
    /// for the products big enough to run faster that way (<see cref="Kernels.Bf16.Bf16Gemm.MinWork"/>). Weights, activations,
    /// gradients and the optimiser stay fp32. Asking for bf16 where the CPU lacks it is refused.
    /// </summary>
    public static Precision Precision
    {
        get => _precision;
        set => _precision = Unavailable(value) is { } error ? throw new PlatformNotSupportedException(error) : value;
    }

    /// <summary>One line on what is wrong with AVER_PRECISION, or null; the command line refuses to run with it.</summary>
    public static string? PrecisionEnvironmentError => _precisionEnvironmentError;

    /// <summary>
    /// Reads a precision name (fp32, bf16) for this CPU: null and the precision, or one line on why it cannot be used
    /// (not a name, or bf16 where the CPU lacks AVX512_BF16 or a slower <see cref="Isa"/> path is forced: that path stands
    /// for an older CPU). The one place either spelling (option or variable) is judged.
    /// </summary>
    public static string? ParsePrecision(string value, out Precision precision)
    {
        precision = Precision.Fp32;
        var named = value switch { "fp32" => Precision.Fp32, "bf16" => Precision.Bf16, _ => (Precision?)null };
        if (named is null) return "expected fp32 or bf16";
        if (Unavailable(named.Value) is { } why) return why;
        precision = named.Value;
        return null;
    }

    /// <summary>Why <paramref name="precision"/> cannot run here (bf16 without AVX512_BF16 or on a forced slower path), or null.</summary>
    private static string? Unavailable(Precision precision) =>
        precision != Precision.Bf16 ? null
        : !Kernels.Bf16.Bf16Gemm.IsSupported ? "bf16 needs a CPU with AVX512_BF16; this one has none"
        : _isa < IsaPath.Avx512 ? $"bf16 runs on the avx512 path; AVER_ISA forces {_isa.ToString().ToLowerInvariant()}"
        : null;

    /// <summary>AVER_PRECISION's precision, fp32 when unset or unusable (<see cref="PrecisionEnvironmentError"/> then says why).</summary>
    private static Precision PrecisionFromEnvironment(out string? error)
    {
        error = null;
        var v = Environment.GetEnvironmentVariable("AVER_PRECISION");
        if (string.IsNullOrEmpty(v)) return Precision.Fp32;
        if (ParsePrecision(v, out var precision) is { } why) error = $"AVER_PRECISION={v}: {why}";
        return precision;
    }

    /// <summary>True on a thread that is running an iteration of <see cref="For"/>.</summary>
    internal static bool InParallelLoop => _loopDepth > 0;

    /// <summary>
    /// Runs <paramref name="body"/> for each i in [0, count), on up to <see cref="Threads"/> threads;
    /// inside an iteration of another parallel loop, on the calling thread (the cores are already busy).
    /// </summary>
    public static void For(int count, Action<int> body)
    {
        if (count <= 0) return;
        if (_threads == 1 || count == 1 || InParallelLoop) { for (int i = 0; i < count; i++) body(i); return; }
        // The engine's own workers stay awake between loops; they are not for more threads than cores (they would
        // spin against each other), nor for a second thread's loop while one runs.
        if (_threads <= Environment.ProcessorCount && LoopWorkers.TryRun(count, _threads, body)) return;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = _threads }, i => RunIteration(body, i));
    }

    /// <summary>One iteration of a parallel loop: loops nested in it run on its thread.</summary>
    internal static void RunIteration(Action<int> body, int i)
    {
        _loopDepth++;
        try { body(i); }
        finally { _loopDepth--; }
    }

    private static IsaPath Checked(IsaPath path) => path <= CpuFeatures.Supported ? path
        : throw new ArgumentOutOfRangeException(nameof(path), path, $"this CPU supports {CpuFeatures.Supported} at most");
}
