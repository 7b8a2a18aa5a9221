using Aver.Tensors;

namespace Aver.Cli.Commands;

/// <summary>`aver info`: what the engine runs on.</summary>
public sealed class InfoCommand : CliCommand
{
    public override string Name => "info";
    public override string Summary => "show the engine's configuration (BLAS, threads, CPU, ISA path, cache, Winograd, packed GEMM, bf16, recycling)";
    public override string Help => """
        aver info [--json]

        Prints the matrix-product backend (the OpenBLAS file, or where it is missing Aver's packed kernel or
        the managed loop), thread count, SIMD width, the CPU model, the kernels' instruction-set path
        (AVER_ISA=scalar|avx2|avx512 forces a slower one), the L2 cache size that sizes convolution tiles,
        whether 3x3 convolutions use Winograd's algorithm (AVER_WINOGRAD=0 turns it off), the time of a
        512-bit multiply-add over a 256-bit one (about 1: full-width AVX-512 units; about 2: split ones),
        whether Aver's own AVX-512 matrix-product kernel does products instead of OpenBLAS (every one where
        512-bit multiply-adds run at full rate, the shape classes it wins where they run at half rate;
        AVER_PACKED_GEMM=0 turns it off), whether the large products round their inputs to bf16 (--precision
        bf16 or AVER_PRECISION=bf16, on CPUs with AVX512_BF16), and whether op results reuse the arrays
        backprop and the optimizer dropped (AVER_RECYCLE=0 turns it off, =poison fills them with NaN).

        Example:
          aver info --json
        """;

    public override int Run(CliArgs args, CliContext ctx)
    {
        bool json = args.Flag("json");
        args.EnsureAllUsed();
        var info = new Dictionary<string, object>
        {
            ["blas"] = Blas.Description,
            ["threads"] = Engine.Threads,
            ["cpu"] = CpuFeatures.ModelName,
            // the kernels' instruction-set path: the CPU's best unless AVER_ISA forces a slower one
            ["isa"] = Engine.Isa == CpuFeatures.Supported ? Lower(Engine.Isa) : $"{Lower(Engine.Isa)} (forced by AVER_ISA; cpu supports {Lower(CpuFeatures.Supported)})",
            ["l2_cache"] = $"{Engine.L2CacheBytes >> 10} KiB" + (CpuFeatures.L2BytesFromSysfs is null ? " (default: sysfs has no cache size)" : " (sysfs)"),
            // 3x3 stride-1 convolutions: Winograd F(4x4, 3x3) needs the AVX2 path; AVER_WINOGRAD=0 turns it off
            ["winograd"] = Winograd(),
            ["fma512_time"] = double.IsNaN(CpuFeatures.Fma512TimeRatio) ? "unavailable (no AVX-512)"
                : $"{CpuFeatures.Fma512TimeRatio:F2}x a 256-bit one ({(CpuFeatures.FullRateAvx512Fma ? "full" : "half")} rate)",
            ["packed_gemm"] = PackedGemm(),
            ["bf16"] = Bf16(),
            ["recycling"] = Recycling(),
            ["vector_bits"] = System.Numerics.Vector<float>.Count * 32,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        };
        if (json) ctx.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(info));
        else foreach (var (k, v) in info) ctx.Out.WriteLine($"{k,-12} {v}");
        return 0;
    }

    /// <summary>
    /// Whether 3x3 stride-1 convolutions take Winograd F(4x4, 3x3) (the AVX2 path and up; AVER_WINOGRAD=0 turns it off), and
    /// whether layers whose tiles make one chunk transform their kernels into the AVX-512 tile's panels (with the packed kernel).
    /// </summary>
    internal static string Winograd() =>
        Engine.Isa < IsaPath.Avx2 ? "unavailable (no AVX2 path)"
        : !Engine.Winograd ? "off (AVER_WINOGRAD=0)"
        : Engine.Isa >= IsaPath.Avx512 && Engine.PackedGemm ? "on (layers of few tiles: kernels transformed into the avx512 tile's panels)"
        : "on";

    /// <summary>Whether the large matrix products round their inputs to bf16 (Engine.Precision), and whether they could.</summary>
    internal static string Bf16() =>
        !Aver.Tensors.Kernels.Bf16.Bf16Gemm.IsSupported ? "unavailable (no AVX512_BF16)"
        : Engine.Isa < IsaPath.Avx512 ? $"unavailable (the {Lower(Engine.Isa)} path is forced; bf16 runs on avx512)"
        : Engine.Precision == Precision.Bf16 ? $"on (products of 2^{Math.Log2(Aver.Tensors.Kernels.Bf16.Bf16Gemm.MinWork):F0} multiply-adds and more: bf16 inputs, fp32 sums)"
        : "off (the cpu has AVX512_BF16; --precision bf16 or AVER_PRECISION=bf16 turns it on)";

    /// <summary>Whether op results and gradients reuse the arrays backprop and the optimizer dropped (TensorMemory).</summary>
    internal static string Recycling() =>
        !TensorMemory.Enabled ? "off (AVER_RECYCLE=0)"
        : $"on (arrays of {TensorMemory.MinPooledLength} floats and more, up to {TensorMemory.MaxPooledBytes >> 20} MiB held{(TensorMemory.PoisonRecycled ? "; recycled arrays poisoned with NaN" : "")})";

    /// <summary>Which products Aver's own packed kernel does instead of OpenBLAS (Blas.Sgemm's choice).</summary>
    internal static string PackedGemm() =>
        Engine.Isa < IsaPath.Avx2 ? "unavailable (no AVX2 path)"
        : !Blas.UsesOpenBlas ? "every product (no OpenBLAS)"
        : Engine.Isa < IsaPath.Avx512 ? "off (the AVX2 tile measured slower than OpenBLAS)"
        : Engine.PackedGemmEverywhere ? "on (every product: 512-bit multiply-adds run at full rate here)"
        : Engine.PackedGemm ? "on (the shape classes of bench/gemm.md measured faster where 512-bit multiply-adds run at half rate)"
        : "off (AVER_PACKED_GEMM=0)";

    private static string Lower(IsaPath path) => path.ToString().ToLowerInvariant();
}
