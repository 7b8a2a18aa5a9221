using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aver.Tensors.Kernels;

/// <summary>
/// Copies a block of op(A) or op(B) into the panel layout of <see cref="GemmMicroKernels"/>: per step p of
/// k, the panel's <c>width</c> lanes (rows of op(A), or columns of op(B)) side by side, padded with zeros
/// to the tile's full width so the micro-kernel never reads past the matrix. A lane of the panel is either
/// contiguous in the source along its lanes (<see cref="Contiguous"/>: op(B) untransposed, op(A)
/// transposed) or along p (<see cref="Strided"/>: the other two), which takes 8 x 8 transposes.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Floats a panel buffer needs past its end: <see cref="Strided"/> stores 8 lanes into panels narrower than 8.</summary>
    public const int Slack = 8;

    /// <summary>dst[p * lanes + j] = src[p * ld + j] for j &lt; width, 0 for width &lt;= j &lt; lanes.</summary>
    public static void Contiguous(float* src, int ld, int kc, int width, int lanes, float* dst)
    {
        for (int p = 0; p < kc; p++, src += ld, dst += lanes)
        {
            int j = 0;
            for (; j + 8 <= width; j += 8) Avx.Store(dst + j, Avx.LoadVector256(src + j));
            if (j + 4 <= width) { Sse.Store(dst + j, Sse.LoadVector128(src + j)); j += 4; }
            for (; j < width; j++) dst[j] = src[j];
            for (; j < lanes; j++) dst[j] = 0f;
        }
    }

    /// <summary>
    /// A whole block of op(B) untransposed (element (p, j) at src[p * ld + j], j &lt; width) into panels of
    /// <paramref name="lanes"/> columns, panel j0 at dst + j0 * kc; a last partial panel has
    /// <paramref name="lastLanes"/> lanes, zero-padded. Row by row, so the source streams in order (read from
    /// memory, panel by panel was 30% slower on a 512 x 512 block).
    /// </summary>
    public static void ContiguousPanels(float* src, int ld, int kc, int width, int lanes, int lastLanes, float* dst)
    {
        int full = width / lanes * lanes, rest = width - full;
        for (int p = 0; p < kc; p++, src += ld)
        {
            for (int j0 = 0; j0 < full; j0 += lanes)
            {
                float* from = src + j0, to = dst + (long)j0 * kc + p * lanes;
                for (int j = 0; j < lanes; j += 8) Avx.Store(to + j, Avx.LoadVector256(from + j));
            }
            if (rest == 0) continue;
            float* last = dst + (long)full * kc + p * lastLanes;
            int i = 0;
            for (; i + 8 <= rest; i += 8) Avx.Store(last + i, Avx.LoadVector256(src + full + i));
            for (; i < rest; i++) last[i] = src[full + i];
            for (; i < lastLanes; i++) last[i] = 0f;
        }
    }

    /// <summary>dst[p * lanes + j] = src[j * ld + p] for j &lt; width, 0 for width &lt;= j &lt; lanes.</summary>
    public static void Strided(float* src, int ld, int kc, int width, int lanes, float* dst)
    {
        for (int j0 = 0; j0 < lanes; j0 += 8)
        {
            int rows = Math.Clamp(width - j0, 0, 8);
            float* from = src + (long)j0 * ld;
            // Missing rows read row 0 again and are masked to zero after the transpose's loads.
            float* r0 = from, r1 = rows > 1 ? from + ld : from, r2 = rows > 2 ? from + 2L * ld : from, r3 = rows > 3 ? from + 3L * ld : from;
            float* r4 = rows > 4 ? from + 4L * ld : from, r5 = rows > 5 ? from + 5L * ld : from, r6 = rows > 6 ? from + 6L * ld : from, r7 = rows > 7 ? from + 7L * ld : from;
            float* to = dst + j0;
            int p = 0;
            if (rows == 8)
            {
                // Eight steps of k at a time; in a panel narrower than 8 lanes each store runs into the
                // next step's lanes, which the next store (or the next panel, or Slack) overwrites.
                for (; p + 8 <= kc; p += 8, to += 8 * lanes)
                    Transpose8x8.Store(Avx.LoadVector256(r0 + p), Avx.LoadVector256(r1 + p), Avx.LoadVector256(r2 + p), Avx.LoadVector256(r3 + p),
                        Avx.LoadVector256(r4 + p), Avx.LoadVector256(r5 + p), Avx.LoadVector256(r6 + p), Avx.LoadVector256(r7 + p), ref *to, lanes);
            }
            else if (rows > 0)
            {
                var z = Vector256<float>.Zero;
                for (; p + 8 <= kc; p += 8, to += 8 * lanes)
                    Transpose8x8.Store(Avx.LoadVector256(r0 + p), rows > 1 ? Avx.LoadVector256(r1 + p) : z, rows > 2 ? Avx.LoadVector256(r2 + p) : z,
                        rows > 3 ? Avx.LoadVector256(r3 + p) : z, rows > 4 ? Avx.LoadVector256(r4 + p) : z, rows > 5 ? Avx.LoadVector256(r5 + p) : z,
                        rows > 6 ? Avx.LoadVector256(r6 + p) : z, z, ref *to, lanes);
            }
            int stop = Math.Min(8, lanes - j0);
            for (; p < kc; p++)
                for (int r = 0; r < stop; r++) dst[p * lanes + j0 + r] = r < rows ? from[(long)r * ld + p] : 0f;
        }
    }
}
