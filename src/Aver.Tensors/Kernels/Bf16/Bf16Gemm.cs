using System.Buffers;
using System.Runtime.Intrinsics;

namespace Aver.Tensors.Kernels.Bf16;

/// <summary>
/// C = alpha op(A) op(B) + beta C with the inputs rounded to bfloat16 and the products summed in fp32 (AVX512_BF16),
/// row-major like <c>Blas.Sgemm</c>: about twice the multiply rate of fp32 FMAs on the same core (bench/gemm.md),
/// for 8 bits of mantissa in the inputs. Inputs are packed by pairs along k into 16-row panels of op(A) and 16-column
/// panels of op(B) (transposition costs nothing there); each 16 x 16 tile of C is summed by the machine-code kernel
/// (bf16_tile.c) into a scratch tile and merged with alpha and beta. Bands of rows of C go to the threads.
/// </summary>
public static unsafe class Bf16Gemm
{
    private const int Tile = 16;

    /// <summary>
    /// The fewest multiply-adds (m n k) for which <see cref="Blas"/> hands a product to this kernel under bf16 precision:
    /// every product of bench/gemm.md at or above 2^25 ran 1.03-1.7x OpenBLAS's fp32 (packing included), and most below it
    /// ran slower (the packing to bf16 outweighs the faster products).
    /// </summary>
    public const long MinWork = 1L << 25;
    private static readonly Lazy<nint> Kernel = new(() => ExecutableCode.Map(Bf16TileCode.Bytes));

    /// <summary>Whether this CPU and system can run it: AVX512_BF16 in the CPU's flags, and Linux on x86-64.</summary>
    public static bool IsSupported => CpuFeatures.HasAvx512Bf16 && OperatingSystem.IsLinux()
        && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64;

    /// <summary>bfloat16 of <paramref name="x"/>, rounded to nearest, ties to even (NaN stays NaN).</summary>
    public static ushort Round(float x)
    {
        uint u = BitConverter.SingleToUInt32Bits(x);
        if ((u & 0x7FFFFFFF) > 0x7F800000) return (ushort)((u >> 16) | 0x40);   // a quiet NaN, whatever its payload
        return (ushort)((u + 0x7FFF + ((u >> 16) & 1)) >> 16);
    }

    /// <summary>The float a bfloat16 stands for.</summary>
    public static float Widen(ushort h) => BitConverter.UInt32BitsToSingle((uint)h << 16);

    /// <param name="transA">op(A) = A^T: A is stored [k, m] with row stride <paramref name="lda"/>; else [m, k].</param>
    /// <param name="transB">op(B) = B^T: B is stored [n, k] with row stride <paramref name="ldb"/>; else [k, n].</param>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("bf16 products need a CPU with AVX512_BF16 (Linux x86-64)");
        if (m <= 0 || n <= 0) return;
        int pairs = (k + 1) / 2, panels = (n + Tile - 1) / Tile;
        var kernel = (delegate* unmanaged<ushort*, ushort*, float*, long, long, void>)Kernel.Value;
        var packedB = ArrayPool<ushort>.Shared.Rent(panels * pairs * 2 * Tile);
        try
        {
            fixed (float* pa = a, pb = b, pc = c)
            fixed (ushort* bp = packedB)
            {
                float* aa = pa, bb = pb, cc = pc;
                ushort* bpk = bp;
                // op(B)[step, j]: B[step, j] stored [k, n], or B[j, step] stored [n, k]
                Engine.For(panels, j => PackPanel(bb, transB ? ldb : 1, transB ? 1 : ldb, k, n, j * Tile, bpk + (long)j * pairs * 2 * Tile));
                int bands = Math.Min(Engine.Threads, (m + Tile - 1) / Tile);
                Engine.For(bands, band =>
                {
                    int rows = (m + Tile - 1) / Tile, r0 = band * rows / bands, r1 = (band + 1) * rows / bands;
                    var packedA = ArrayPool<ushort>.Shared.Rent(pairs * 2 * Tile);
                    float* tile = stackalloc float[Tile * Tile];
                    try
                    {
                        fixed (ushort* ap = packedA)
                            for (int r = r0; r < r1; r++)
                            {
                                int i0 = r * Tile, mr = Math.Min(Tile, m - i0);
                                PackPanel(aa, transA ? 1 : lda, transA ? lda : 1, k, m, i0, ap);   // op(A)[i, step]
                                for (int j = 0; j < panels; j++)
                                {
                                    int j0 = j * Tile, nr = Math.Min(Tile, n - j0);
                                    new Span<float>(tile, Tile * Tile).Clear();
                                    kernel(ap, bpk + (long)j * pairs * 2 * Tile, tile, pairs, Tile);
                                    for (int i = 0; i < mr; i++)
                                    {
                                        float* row = cc + (long)(i0 + i) * ldc + j0;
                                        if (nr == Tile)
                                        {
                                            var sum = Vector512.Load(tile + i * Tile) * alpha;
                                            (beta == 0 ? sum : sum + Vector512.Load(row) * beta).Store(row);
                                            continue;
                                        }
                                        for (int jj = 0; jj < nr; jj++)
                                            row[jj] = beta == 0 ? alpha * tile[i * Tile + jj] : alpha * tile[i * Tile + jj] + beta * row[jj];
                                    }
                                }
                            }
                    }
                    finally { ArrayPool<ushort>.Shared.Return(packedA); }
                });
            }
        }
        finally { ArrayPool<ushort>.Shared.Return(packedB); }
    }

    /// <summary>
    /// Packs 16 lines (rows of op(A) or columns of op(B)) from line <paramref name="first"/> of <paramref name="count"/>
    /// by pairs along k: dst[p * 32 + l * 2 + t] = bf16 of element (first + l, 2p + t), which lies at
    /// src[line * lineStride + step * stepStride]; zero past either end. The two layouts the products use most are
    /// vectorised: the 16 lines side by side in memory (one pair of rows gives one packed vector), and a line's
    /// steps side by side (16 steps give 8 pairs).
    /// </summary>
    private static void PackPanel(float* src, int lineStride, int stepStride, int k, int count, int first, ushort* dst)
    {
        int pairs = (k + 1) / 2;
        uint* d32 = (uint*)dst;
        if (lineStride == 1 && first + Tile <= count)
        {
            for (int p = 0; p < pairs; p++)
            {
                var lo = Rounded(Vector512.Load(src + (long)(2 * p) * stepStride + first));
                var hi = 2 * p + 1 < k ? Rounded(Vector512.Load(src + (long)(2 * p + 1) * stepStride + first)) : Vector512<uint>.Zero;
                ((hi << 16) | lo).Store(d32 + p * Tile);
            }
            return;
        }
        for (int l = 0; l < Tile; l++)
        {
            int line = first + l;
            if (line >= count) { for (int p = 0; p < pairs; p++) d32[p * Tile + l] = 0; continue; }
            float* s = src + (long)line * lineStride;
            int p0 = 0;
            if (stepStride == 1)
                for (; 2 * p0 + 16 <= k; p0 += 8)
                {
                    // 8 pairs: each 64-bit lane holds steps 2q (low) and 2q + 1 (high) once rounded to 16 bits each.
                    var v = Rounded(Vector512.Load(s + 2 * p0)).AsUInt64();
                    var packed = (v & Vector512.Create(0xFFFFUL)) | ((v >> 16) & Vector512.Create(0xFFFF0000UL));
                    for (int q = 0; q < 8; q++) d32[(p0 + q) * Tile + l] = (uint)packed.GetElement(q);
                }
            for (int p = p0; p < pairs; p++)
            {
                uint lo = Round(s[(long)(2 * p) * stepStride]);
                uint hi = 2 * p + 1 < k ? Round(s[(long)(2 * p + 1) * stepStride]) : 0u;
                d32[p * Tile + l] = (hi << 16) | lo;
            }
        }
    }

    /// <summary><see cref="Round"/> of 16 floats, each result in the low 16 bits of its lane.</summary>
    private static Vector512<uint> Rounded(Vector512<float> x)
    {
        var u = x.AsUInt32();
        var rounded = (u + Vector512.Create(0x7FFFu) + ((u >> 16) & Vector512.Create(1u))) >> 16;
        var nan = Vector512.GreaterThan(u & Vector512.Create(0x7FFFFFFFu), Vector512.Create(0x7F800000u));
        return Vector512.ConditionalSelect(nan, (u >> 16) | Vector512.Create(0x40u), rounded);
    }
}
