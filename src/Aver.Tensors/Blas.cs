using System.Numerics.Tensors;
using Aver.Tensors.Native;

namespace Aver.Tensors;

/// <summary>
/// Single-precision matrix products, C = alpha * op(A) * op(B) + beta * C, row-major.
/// OpenBLAS does the work when it is installed; otherwise a managed SIMD loop does, after a
/// one-line warning on standard error.
/// </summary>
public static unsafe class Blas
{
    private static int _warned;

    /// <summary>True when OpenBLAS was found and is used for matrix products.</summary>
    public static bool UsesOpenBlas => OpenBlas.IsAvailable && !ForceManaged;

    /// <summary>Forces the managed fallback (for tests that compare the two paths).</summary>
    public static bool ForceManaged { get; set; }

    internal static void SetThreads(int threads) => OpenBlas.SetThreads(threads);

    static Blas() => OpenBlas.SetThreads(Engine.Threads);

    /// <summary>
    /// op(A) is m x k, op(B) is k x n, C is m x n. Leading dimensions are the row lengths of the
    /// stored (untransposed) matrices.
    /// </summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (m == 0 || n == 0) return;
        if (UsesOpenBlas && k > 0)
        {
            fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
                OpenBlas.Sgemm(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            return;
        }
        if (!OpenBlas.IsAvailable && Interlocked.Exchange(ref _warned, 1) == 0)
            Console.Error.WriteLine("aver: warning: OpenBLAS (libopenblas.so.0) not found; using the slower managed matrix product. Run ./setup.sh to install it.");
        ManagedSgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>Sgemm over whole contiguous matrices: A is m x k (or k x m when transposed), B likewise.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, float beta = 0f)
        => Sgemm(transA, transB, m, n, k, 1f, a, transA ? m : k, b, transB ? k : n, beta, c, n);

    private static void ManagedSgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        // Pack op(B) row-major (k x n) so that each output row is a sum of scaled B rows: the
        // inner loop is a contiguous fused multiply-add that TensorPrimitives vectorises.
        var bp = new float[(long)k * n];
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++)
                bp[p * n + j] = transB ? b[j * ldb + p] : b[p * ldb + j];
        var ap = new float[(long)m * k];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++)
                ap[i * k + p] = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);

        var cArr = new float[(long)m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                cArr[i * n + j] = beta == 0f ? 0f : beta * c[i * ldc + j];

        Engine.For(m, i =>
        {
            var row = cArr.AsSpan(i * n, n);
            for (int p = 0; p < k; p++)
            {
                float s = ap[i * k + p];
                if (s != 0f) TensorPrimitives.FusedMultiplyAdd(bp.AsSpan(p * n, n), s, row, row);
            }
        });
        for (int i = 0; i < m; i++) cArr.AsSpan(i * n, n).CopyTo(c.Slice(i * ldc, n));
    }
}
