using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aver.Features.Spectral;

/// <summary>Transposes a block of spectrogram rows into a frequency-major matrix, 8 x 8 tiles in AVX registers.</summary>
internal static class BlockTranspose
{
    /// <summary>
    /// dst[c * dstStride + dstOffset + r] = src[r * srcStride + c] for r &lt; rows, c &lt; cols:
    /// the first <paramref name="cols"/> columns of a [rows, srcStride] block become rows of dst.
    /// </summary>
    public static void Into(ReadOnlySpan<float> src, int rows, int srcStride, int cols, Span<float> dst, int dstStride, int dstOffset)
    {
        int r8 = 0;
        if (Avx.IsSupported)
        {
            ref float s0 = ref MemoryMarshal.GetReference(src);
            ref float d0 = ref MemoryMarshal.GetReference(dst);
            int c8 = cols & ~7;
            for (; r8 + 8 <= rows; r8 += 8)
                for (int c = 0; c < c8; c += 8)
                    Tile(ref Unsafe.Add(ref s0, r8 * srcStride + c), srcStride, ref Unsafe.Add(ref d0, c * dstStride + dstOffset + r8), dstStride);
            for (int c = c8; c < cols; c++)
                for (int r = 0; r < r8; r++) dst[c * dstStride + dstOffset + r] = src[r * srcStride + c];
        }
        for (int r = r8; r < rows; r++)
            for (int c = 0; c < cols; c++) dst[c * dstStride + dstOffset + r] = src[r * srcStride + c];
    }

    /// <summary>dst[i * dstStride + r] = src[r * srcStride + i] for r, i &lt; 8: the classic unpack / shuffle / permute 8 x 8 float transpose (AVX).</summary>
    internal static void Tile(ref float src, int srcStride, ref float dst, int dstStride)
    {
        var a0 = Vector256.LoadUnsafe(ref src); var a1 = Vector256.LoadUnsafe(ref src, (nuint)srcStride);
        var a2 = Vector256.LoadUnsafe(ref src, (nuint)(2 * srcStride)); var a3 = Vector256.LoadUnsafe(ref src, (nuint)(3 * srcStride));
        var a4 = Vector256.LoadUnsafe(ref src, (nuint)(4 * srcStride)); var a5 = Vector256.LoadUnsafe(ref src, (nuint)(5 * srcStride));
        var a6 = Vector256.LoadUnsafe(ref src, (nuint)(6 * srcStride)); var a7 = Vector256.LoadUnsafe(ref src, (nuint)(7 * srcStride));
        var t0 = Avx.UnpackLow(a0, a1); var t1 = Avx.UnpackHigh(a0, a1);
        var t2 = Avx.UnpackLow(a2, a3); var t3 = Avx.UnpackHigh(a2, a3);
        var t4 = Avx.UnpackLow(a4, a5); var t5 = Avx.UnpackHigh(a4, a5);
        var t6 = Avx.UnpackLow(a6, a7); var t7 = Avx.UnpackHigh(a6, a7);
        var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref dst);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref dst, (nuint)dstStride);
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref dst, (nuint)(2 * dstStride));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref dst, (nuint)(3 * dstStride));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref dst, (nuint)(4 * dstStride));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref dst, (nuint)(5 * dstStride));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref dst, (nuint)(6 * dstStride));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref dst, (nuint)(7 * dstStride));
    }
}
