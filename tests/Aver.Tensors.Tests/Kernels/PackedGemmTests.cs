using Aver.Tensors.Kernels;

namespace Aver.Tensors.Tests.Kernels;

/// <summary>
/// Aver's packed SGEMM (<see cref="PackedGemm"/>) on each vector path the CPU has (forced through
/// <see cref="Engine.Isa"/>), and <see cref="Blas.Sgemm(bool,bool,int,int,int,float,ReadOnlySpan{float},int,ReadOnlySpan{float},int,float,Span{float},int)"/>
/// on every path including scalar (OpenBLAS or the managed loop; with <see cref="Engine.PackedGemm"/> off and
/// on), against a double-precision product: odd sizes
/// that leave partial register tiles in both directions, k across several k blocks, all four transpositions,
/// alpha and beta, leading dimensions longer than the rows (the gaps must stay untouched), k = 0 and m or n = 1.
/// </summary>
public class PackedGemmTests
{
    private static readonly (int M, int N, int K)[] Sizes =
    [
        (1, 1, 1), (1, 37, 5), (37, 1, 9), (7, 33, 17), (9, 16, 8), (13, 17, 3), (8, 32, 256), (17, 48, 64),
        (25, 70, 300), (6, 31, PackedGemm.KBlockMax * 2 + 7),
    ];

    private static readonly (float Alpha, float Beta)[] Scalings = [(1f, 0f), (0.5f, 1f), (-1.5f, 0.25f)];

    private static IEnumerable<IsaPath> VectorPaths() => Enum.GetValues<IsaPath>().Where(p => p >= IsaPath.Avx2 && p <= CpuFeatures.Supported);

    [Theory]
    [InlineData(false, false)] [InlineData(true, false)] [InlineData(false, true)] [InlineData(true, true)]
    public void EveryVectorPathMatchesTheDoubleProduct(bool transA, bool transB)
    {
        foreach (var path in VectorPaths())
            foreach (var (m, n, k) in Sizes)
                foreach (var (alpha, beta) in Scalings)
                    WithIsa(path, () => Check(transA, transB, m, n, k, alpha, beta, gap: 3, Packed, $"{path}"));
    }

    [Theory]
    [InlineData(false, false)] [InlineData(true, false)] [InlineData(false, true)] [InlineData(true, true)]
    public void BlasMatchesTheDoubleProductOnEveryPath(bool transA, bool transB)
    {
        var packed = Engine.PackedGemm;
        try
        {
            foreach (bool on in new[] { false, true })
                foreach (var path in Enum.GetValues<IsaPath>().Where(p => p <= CpuFeatures.Supported))
                    foreach (var (m, n, k) in Sizes.Append((70, 90, 40)))
                    {
                        Engine.PackedGemm = on;
                        WithIsa(path, () => Check(transA, transB, m, n, k, 0.75f, 0.5f, gap: 2, Blas.Sgemm, $"Blas {path} packed {on}"));
                    }
        }
        finally { Engine.PackedGemm = packed; }
    }

    [Fact]
    public void KZeroScalesCByBeta()
    {
        foreach (var path in VectorPaths())
            WithIsa(path, () =>
            {
                var c = new float[] { 1f, 2f, 3f, 4f, 5f, 6f };
                Packed(false, false, 2, 3, 0, 1f, [], 1, [], 3, 0.5f, c, 3);
                Assert.Equal([0.5f, 1f, 1.5f, 2f, 2.5f, 3f], c);
                Packed(true, true, 2, 3, 0, 1f, [], 1, [], 1, 0f, c, 3);
                Assert.All(c, x => Assert.Equal(0f, x));
            });
    }

    [Fact]
    public void BetaZeroDoesNotReadC()
    {
        foreach (var path in VectorPaths())
            WithIsa(path, () =>
            {
                int m = 11, n = 35, k = 7;
                var a = Random(1, m * k); var b = Random(2, k * n);
                var c = new float[m * n];
                Array.Fill(c, float.NaN);
                Packed(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
                Assert.All(c, x => Assert.True(float.IsFinite(x)));
            });
    }

    [Fact]
    public void BothVectorPathsGiveTheSameBits()
    {
        if (CpuFeatures.Supported < IsaPath.Avx512) return;
        foreach (var (m, n, k) in Sizes)
        {
            var a = Random(3, m * k); var b = Random(4, k * n);
            var c0 = Random(5, m * n);
            var wide = (float[])c0.Clone(); var narrow = (float[])c0.Clone();
            WithIsa(IsaPath.Avx512, () => Packed(true, false, m, n, k, 1.25f, a, m, b, n, 0.5f, wide, n));
            WithIsa(IsaPath.Avx2, () => Packed(true, false, m, n, k, 1.25f, a, m, b, n, 0.5f, narrow, n));
            Assert.Equal(wide, narrow);
        }
    }

    [Fact]
    public void ThreadBandsGiveTheSameBitsAsOneThread()
    {
        // Large enough for Blas to split it into one band per thread; a class PackedGemm.Serves takes (AVX-512 path).
        if (CpuFeatures.Supported < IsaPath.Avx512) return;
        int m = 203, n = 190, k = 300;
        var a = Random(6, m * k); var b = Random(7, k * n);
        Assert.True(WithIsaResult(IsaPath.Avx512, () => PackedGemm.Serves(false, true, m, n, k)));
        WithIsa(IsaPath.Avx512, () =>
            {
                var (threads, packed) = (Engine.Threads, Engine.PackedGemm);
                var one = new float[m * n]; var two = new float[m * n];
                try
                {
                    Engine.PackedGemm = true;
                    Engine.Threads = 1; Blas.Sgemm(false, true, m, n, k, 1f, a, k, b, k, 0f, one, n);
                    Engine.Threads = 2; Blas.Sgemm(false, true, m, n, k, 1f, a, k, b, k, 0f, two, n);
                }
                finally { (Engine.Threads, Engine.PackedGemm) = (threads, packed); }
                Assert.Equal(one, two);
            });
    }

    private delegate void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc);

    private static unsafe void Packed(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        fixed (float* pa = a, pb = b, pc = c) PackedGemm.Sgemm(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

    /// <summary>One product with every leading dimension <paramref name="gap"/> longer than its rows, against the double reference.</summary>
    private static void Check(bool transA, bool transB, int m, int n, int k, float alpha, float beta, int gap, Gemm gemm, string label)
    {
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = aCols + gap, ldb = bCols + gap, ldc = n + gap;
        var a = Random(11, aRows * lda); var b = Random(12, bRows * ldb);
        var c = Random(13, m * ldc);
        var before = (float[])c.Clone();
        gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, scale = Math.Abs(beta * before[i * ldc + j]);
                for (int p = 0; p < k; p++)
                {
                    double x = transA ? a[p * lda + i] : a[i * lda + p], y = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += x * y;
                    scale += Math.Abs(alpha * x * y);
                }
                double expected = alpha * sum + beta * before[i * ldc + j];
                // Float rounding of a k-term sum is at most about k units of 2^-24 of the sum of magnitudes.
                double tolerance = (k + 4) * 1.2e-7 * scale + 1e-30;
                Assert.True(Math.Abs(c[i * ldc + j] - expected) <= tolerance,
                    $"{label} trans {transA}/{transB} {m}x{n}x{k} alpha {alpha} beta {beta}: C[{i},{j}] = {c[i * ldc + j]}, expected {expected}");
            }
            for (int j = n; j < ldc; j++) Assert.Equal(before[i * ldc + j], c[i * ldc + j]);
        }
    }

    private static float[] Random(ulong seed, int length) => Tensor.Uniform(new RandomStream(seed), -1f, 1f, Math.Max(length, 1)).Data;

    private static T WithIsaResult<T>(IsaPath path, Func<T> run)
    {
        T result = default!;
        WithIsa(path, () => result = run());
        return result;
    }

    private static void WithIsa(IsaPath path, Action run)
    {
        var saved = Engine.Isa;
        try { Engine.Isa = path; run(); }
        finally { Engine.Isa = saved; }
    }
}
