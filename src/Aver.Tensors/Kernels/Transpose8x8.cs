using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aver.Tensors.Kernels;

/// <summary>
/// The 8 x 8 float transpose in AVX registers (unpack, shuffle, 128-bit permute), the one copy used by Winograd's input
/// packing, the packed GEMM's panels and the feature front ends' block transposes. Callers check <see cref="Avx.IsSupported"/>.
/// </summary>
public static class Transpose8x8
{
    /// <summary>In place: lane c of row r becomes lane r of row c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void InPlace(ref Vector256<float> v0, ref Vector256<float> v1, ref Vector256<float> v2, ref Vector256<float> v3,
        ref Vector256<float> v4, ref Vector256<float> v5, ref Vector256<float> v6, ref Vector256<float> v7)
    {
        var t0 = Avx.UnpackLow(v0, v1); var t1 = Avx.UnpackHigh(v0, v1);
        var t2 = Avx.UnpackLow(v2, v3); var t3 = Avx.UnpackHigh(v2, v3);
        var t4 = Avx.UnpackLow(v4, v5); var t5 = Avx.UnpackHigh(v4, v5);
        var t6 = Avx.UnpackLow(v6, v7); var t7 = Avx.UnpackHigh(v6, v7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        v0 = Avx.Permute2x128(s0, s4, 0x20); v1 = Avx.Permute2x128(s1, s5, 0x20);
        v2 = Avx.Permute2x128(s2, s6, 0x20); v3 = Avx.Permute2x128(s3, s7, 0x20);
        v4 = Avx.Permute2x128(s0, s4, 0x31); v5 = Avx.Permute2x128(s1, s5, 0x31);
        v6 = Avx.Permute2x128(s2, s6, 0x31); v7 = Avx.Permute2x128(s3, s7, 0x31);
    }

    /// <summary>Stores the transpose of eight rows of eight floats: lane c of row r goes to <c>Unsafe.Add(ref to, c * stride + r)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> v0, Vector256<float> v1, Vector256<float> v2, Vector256<float> v3,
        Vector256<float> v4, Vector256<float> v5, Vector256<float> v6, Vector256<float> v7, ref float to, int stride)
    {
        InPlace(ref v0, ref v1, ref v2, ref v3, ref v4, ref v5, ref v6, ref v7);
        v0.StoreUnsafe(ref to);
        v1.StoreUnsafe(ref to, (nuint)stride);
        v2.StoreUnsafe(ref to, (nuint)(2 * stride));
        v3.StoreUnsafe(ref to, (nuint)(3 * stride));
        v4.StoreUnsafe(ref to, (nuint)(4 * stride));
        v5.StoreUnsafe(ref to, (nuint)(5 * stride));
        v6.StoreUnsafe(ref to, (nuint)(6 * stride));
        v7.StoreUnsafe(ref to, (nuint)(7 * stride));
    }
}
