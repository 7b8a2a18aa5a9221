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

    /// <summary>dst[i * dstStride + r] = src[r * srcStride + i] for r, i &lt; 8 (<see cref="Aver.Tensors.Kernels.Transpose8x8"/>).</summary>
    internal static void Tile(ref float src, int srcStride, ref float dst, int dstStride)
    {
        var a0 = Vector256.LoadUnsafe(ref src); var a1 = Vector256.LoadUnsafe(ref src, (nuint)srcStride);
        var a2 = Vector256.LoadUnsafe(ref src, (nuint)(2 * srcStride)); var a3 = Vector256.LoadUnsafe(ref src, (nuint)(3 * srcStride));
        var a4 = Vector256.LoadUnsafe(ref src, (nuint)(4 * srcStride)); var a5 = Vector256.LoadUnsafe(ref src, (nuint)(5 * srcStride));
        var a6 = Vector256.LoadUnsafe(ref src, (nuint)(6 * srcStride)); var a7 = Vector256.LoadUnsafe(ref src, (nuint)(7 * srcStride));
        Aver.Tensors.Kernels.Transpose8x8.Store(a0, a1, a2, a3, a4, a5, a6, a7, ref dst, dstStride);
    }
}
