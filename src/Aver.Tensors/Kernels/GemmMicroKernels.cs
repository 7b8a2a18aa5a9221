using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aver.Tensors.Kernels;

/// <summary>
/// The register tiles of <see cref="PackedGemm"/>: C[MR x NR] = alpha * A_panel B_panel + beta * C, where the
/// A panel holds MR floats per step of k (one column of op(A)'s rows) and the B panel NR floats per step
/// (one row of op(B)'s columns), packed by <see cref="GemmPacking"/> (on the AVX-512 path A's rows may
/// also be read where they lie). Each element of C is one chain of fused multiply-adds over k in
/// ascending order, whatever tile or path computes it, so both paths give the same bits; the update of
/// C and <see cref="Merge"/> apply alpha and beta by the same formula.
/// </summary>
internal static unsafe class GemmMicroKernels
{
    /// <summary>AVX-512: 8 rows x 32 columns, 16 zmm accumulators (two B vectors, one broadcast per row and step).</summary>
    public const int Avx512Rows = 8, Avx512Columns = 32;
    /// <summary>AVX2: 6 rows x 16 columns, 12 ymm accumulators: with the two B vectors and the broadcast, 15 of the 16 registers.</summary>
    public const int Avx2Rows = 6, Avx2Columns = 16;

    /// <summary>
    /// AVX-512 8 x 32 tile. A's row i, step p is at byte offset i * aRow + 4 * p * aStep from <paramref name="a"/>
    /// (a packed panel: aRow 4, aStep 8; A's rows where they lie: aRow 4 * lda, aStep 1; a transposed A where it lies:
    /// aRow 4, aStep lda); B a packed 32-lane panel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Avx512(int kc, float* a, nint aRow, nint aStep, float* b, float* c, int ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        nint o2 = 2 * aRow, o3 = 3 * aRow, o4 = 4 * aRow, o5 = 5 * aRow, o6 = 6 * aRow, o7 = 7 * aRow;
        for (int p = 0; p < kc; p++, a += aStep, b += Avx512Columns)
        {
            var b0 = Avx512F.LoadAlignedVector512(b);
            var b1 = Avx512F.LoadAlignedVector512(b + 16);
            byte* r = (byte*)a;
            var x = Vector512.Create(*a); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(*(float*)(r + aRow)); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(*(float*)(r + o2)); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(*(float*)(r + o3)); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(*(float*)(r + o4)); c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(*(float*)(r + o5)); c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(*(float*)(r + o6)); c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(*(float*)(r + o7)); c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
        }
        var va = Vector512.Create(alpha);
        Update(c, c00, va, beta); Update(c + 16, c01, va, beta); c += ldc;
        Update(c, c10, va, beta); Update(c + 16, c11, va, beta); c += ldc;
        Update(c, c20, va, beta); Update(c + 16, c21, va, beta); c += ldc;
        Update(c, c30, va, beta); Update(c + 16, c31, va, beta); c += ldc;
        Update(c, c40, va, beta); Update(c + 16, c41, va, beta); c += ldc;
        Update(c, c50, va, beta); Update(c + 16, c51, va, beta); c += ldc;
        Update(c, c60, va, beta); Update(c + 16, c61, va, beta); c += ldc;
        Update(c, c70, va, beta); Update(c + 16, c71, va, beta);
    }

    /// <summary>
    /// AVX-512 8 x 16 tile, A as in <see cref="Avx512"/>, B a packed 16-lane panel: the last 16 or fewer
    /// columns of a product, which a 32-wide tile would half waste.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Avx512Narrow(int kc, float* a, nint aRow, nint aStep, float* b, float* c, int ldc, float alpha, float beta)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        nint o2 = 2 * aRow, o3 = 3 * aRow, o4 = 4 * aRow, o5 = 5 * aRow, o6 = 6 * aRow, o7 = 7 * aRow;
        for (int p = 0; p < kc; p++, a += aStep, b += 16)
        {
            var b0 = Avx512F.LoadAlignedVector512(b);
            byte* r = (byte*)a;
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(*a), b0, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(*(float*)(r + aRow)), b0, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(*(float*)(r + o2)), b0, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(*(float*)(r + o3)), b0, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(*(float*)(r + o4)), b0, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(*(float*)(r + o5)), b0, c5);
            c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(*(float*)(r + o6)), b0, c6);
            c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(*(float*)(r + o7)), b0, c7);
        }
        var va = Vector512.Create(alpha);
        Update(c, c0, va, beta); c += ldc;
        Update(c, c1, va, beta); c += ldc;
        Update(c, c2, va, beta); c += ldc;
        Update(c, c3, va, beta); c += ldc;
        Update(c, c4, va, beta); c += ldc;
        Update(c, c5, va, beta); c += ldc;
        Update(c, c6, va, beta); c += ldc;
        Update(c, c7, va, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Avx2(int kc, float* a, float* b, float* c, int ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += Avx2Rows, b += Avx2Columns)
        {
            var b0 = Avx.LoadAlignedVector256(b);
            var b1 = Avx.LoadAlignedVector256(b + 8);
            var x = Vector256.Create(a[0]); c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]); c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]); c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]); c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[4]); c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[5]); c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
        }
        var va = Vector256.Create(alpha);
        Update(c, c00, va, beta); Update(c + 8, c01, va, beta); c += ldc;
        Update(c, c10, va, beta); Update(c + 8, c11, va, beta); c += ldc;
        Update(c, c20, va, beta); Update(c + 8, c21, va, beta); c += ldc;
        Update(c, c30, va, beta); Update(c + 8, c31, va, beta); c += ldc;
        Update(c, c40, va, beta); Update(c + 8, c41, va, beta); c += ldc;
        Update(c, c50, va, beta); Update(c + 8, c51, va, beta);
    }

    // C = alpha * acc (C not read, BLAS's rule for beta = 0), C = alpha * acc + C, or alpha * acc + beta * C; one rounding per step.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector512<float> acc, Vector512<float> alpha, float beta)
    {
        if (beta == 0f) Avx512F.Store(c, Avx512F.Multiply(acc, alpha));
        else if (beta == 1f) Avx512F.Store(c, Avx512F.FusedMultiplyAdd(acc, alpha, Avx512F.LoadVector512(c)));
        else Avx512F.Store(c, Avx512F.FusedMultiplyAdd(acc, alpha, Avx512F.Multiply(Avx512F.LoadVector512(c), Vector512.Create(beta))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector256<float> acc, Vector256<float> alpha, float beta)
    {
        if (beta == 0f) Avx.Store(c, Avx.Multiply(acc, alpha));
        else if (beta == 1f) Avx.Store(c, Fma.MultiplyAdd(acc, alpha, Avx.LoadVector256(c)));
        else Avx.Store(c, Fma.MultiplyAdd(acc, alpha, Avx.Multiply(Avx.LoadVector256(c), Vector256.Create(beta))));
    }

    /// <summary>
    /// The valid rows x columns of an edge tile, computed into <paramref name="tile"/> (row length
    /// <paramref name="ld"/>) with alpha 1 and beta 0, merged into C by the tiles' own formula.
    /// </summary>
    public static void Merge(float* tile, int ld, int rows, int columns, float* c, int ldc, float alpha, float beta)
    {
        for (int i = 0; i < rows; i++, tile += ld, c += ldc)
            for (int j = 0; j < columns; j++)
                c[j] = beta == 0f ? tile[j] * alpha
                    : beta == 1f ? MathF.FusedMultiplyAdd(tile[j], alpha, c[j])
                    : MathF.FusedMultiplyAdd(tile[j], alpha, c[j] * beta);
    }
}
