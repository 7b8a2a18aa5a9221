using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aver.Tensors.Kernels;

/// <summary>
/// Measures whether this core retires 512-bit multiply-adds as fast as 256-bit ones (Zen 5, Intel cores with two
/// AVX-512 FMA units) or at half their rate (Zen 4 and one-unit Intel cores split them in two). CPUID does not say
/// it, and it decides the matrix kernel: where 512-bit FMAs run at full rate Aver's packed AVX-512 kernel doubles
/// OpenBLAS's Haswell kernel on most shapes; at half rate the two are level (bench/gemm.md).
/// </summary>
internal static class FmaWidthProbe
{
    // Twelve independent chains (written out below) cover the FMA latency (4 cycles) times two pipes with room to spare;
    // a round is about 200,000 multiply-adds, tens of microseconds.
    private const int Steps = 16384, Rounds = 7;

    /// <summary>
    /// Time per 512-bit FMA over time per 256-bit FMA, the best of several interleaved rounds of each (a round
    /// takes well under a millisecond, so a busy machine rarely spoils every one): about 1 at full rate, about 2
    /// at half rate. NaN without AVX-512.
    /// </summary>
    public static double WideOverNarrowTime()
    {
        if (!Avx512F.IsSupported || !Fma.IsSupported) return double.NaN;
        long best512 = long.MaxValue, best256 = long.MaxValue;
        float sink = 0f;
        for (int round = 0; round < Rounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            sink += Run512(Steps);
            best512 = Math.Min(best512, Stopwatch.GetTimestamp() - start);
            start = Stopwatch.GetTimestamp();
            sink += Run256(Steps);
            best256 = Math.Min(best256, Stopwatch.GetTimestamp() - start);
        }
        // The sums keep the loops alive; they are finite for these inputs, so this never changes the answer.
        return float.IsNaN(sink) ? double.NaN : (double)best512 / Math.Max(1, best256);
    }

    /// <summary>Whether 512-bit FMAs run at (nearly) the rate of 256-bit ones: a time ratio under 1.5, halfway between the two kinds.</summary>
    public static bool FullRate(double wideOverNarrowTime) => wideOverNarrowTime < 1.5;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static float Run512(int steps)
    {
        var m = Vector512.Create(0.999f);
        var a = Vector512.Create(1e-3f);
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default,
            c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (int i = 0; i < steps; i++)
        {
            c0 = Avx512F.FusedMultiplyAdd(c0, m, a); c1 = Avx512F.FusedMultiplyAdd(c1, m, a);
            c2 = Avx512F.FusedMultiplyAdd(c2, m, a); c3 = Avx512F.FusedMultiplyAdd(c3, m, a);
            c4 = Avx512F.FusedMultiplyAdd(c4, m, a); c5 = Avx512F.FusedMultiplyAdd(c5, m, a);
            c6 = Avx512F.FusedMultiplyAdd(c6, m, a); c7 = Avx512F.FusedMultiplyAdd(c7, m, a);
            c8 = Avx512F.FusedMultiplyAdd(c8, m, a); c9 = Avx512F.FusedMultiplyAdd(c9, m, a);
            c10 = Avx512F.FusedMultiplyAdd(c10, m, a); c11 = Avx512F.FusedMultiplyAdd(c11, m, a);
        }
        var sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11));
        return Vector512.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static float Run256(int steps)
    {
        var m = Vector256.Create(0.999f);
        var a = Vector256.Create(1e-3f);
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default,
            c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (int i = 0; i < steps; i++)
        {
            c0 = Fma.MultiplyAdd(c0, m, a); c1 = Fma.MultiplyAdd(c1, m, a);
            c2 = Fma.MultiplyAdd(c2, m, a); c3 = Fma.MultiplyAdd(c3, m, a);
            c4 = Fma.MultiplyAdd(c4, m, a); c5 = Fma.MultiplyAdd(c5, m, a);
            c6 = Fma.MultiplyAdd(c6, m, a); c7 = Fma.MultiplyAdd(c7, m, a);
            c8 = Fma.MultiplyAdd(c8, m, a); c9 = Fma.MultiplyAdd(c9, m, a);
            c10 = Fma.MultiplyAdd(c10, m, a); c11 = Fma.MultiplyAdd(c11, m, a);
        }
        var sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11));
        return Vector256.Sum(sum);
    }
}
