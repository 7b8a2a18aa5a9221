using System.Numerics.Tensors;
using Aver.Tensors.Kernels;
using Aver.Tensors.Native;

namespace Aver.Tensors;

/// <summary>
/// Single-precision matrix products, C = alpha * op(A) * op(B) + beta * C, row-major.
/// OpenBLAS does the work when it is installed (Aver's packed AVX-512 kernel, <see cref="PackedGemm"/>,
/// takes the shape classes of bench/gemm.md when <see cref="Engine.PackedGemm"/> is on); otherwise the
/// packed kernel does on the AVX2 and AVX-512 paths, or on the scalar path a managed SIMD loop, after a
/// one-line warning on standard error. With <see cref="Engine.Precision"/> bf16, products of at least
/// <see cref="Kernels.Bf16.Bf16Gemm.MinWork"/> multiply-adds go to <see cref="Kernels.Bf16.Bf16Gemm"/>.
/// </summary>
/// <remarks>
/// OpenBLAS is set to one thread once, at start-up, and never changed: its thread count is
/// process-wide, and switching it while another thread was inside sgemm (as the kernels once did
/// around their parallel loops) changed that product's bits, since OpenBLAS's threaded and
/// unthreaded drivers sum in different orders. Products big enough to share are split here instead,
/// into one band of output rows (or columns) per engine thread, each a single-threaded sgemm. The
/// bands depend only on the shape and <see cref="Engine.Threads"/>, so a product gives the same bits
/// every time at a given thread count (not across thread counts: OpenBLAS's register tiles sum some
/// elements in another order when a band starts elsewhere). Inside a parallel loop (convolution
/// chunks, LSTM directions, attention heads, Winograd taps) a product stays on its thread: one core
/// per item beat both cores per product. The packed kernel's bits do not depend on the bands at all
/// (each element is one multiply-add chain over k, see <see cref="PackedGemm"/>), so its products are
/// the same at any thread count, and the same on its AVX2 and AVX-512 paths.
/// </remarks>
public static unsafe class Blas
{
    private static int _warned;
    // Below this many multiply-adds a product is too short to repay handing half of it to another thread.
    private const long MinParallelWork = 1L << 21;
    // Bands start at multiples of OpenBLAS's widest register tile (16 rows or columns), so no band ends in a sliver.
    private const int BandAlignment = 16;

    /// <summary>True when OpenBLAS was found and is used for matrix products.</summary>
    public static bool UsesOpenBlas => OpenBlas.IsAvailable && !ForceManaged;

    /// <summary>
    /// Which code does the products: "managed (forced)" under <see cref="ForceManaged"/>; "openblas (FILE)", the library
    /// file loaded; else "packed (no OpenBLAS)" where Aver's packed kernel takes every product (the AVX2 and AVX-512
    /// paths); else "managed (no OpenBLAS)".
    /// </summary>
    public static string Description =>
        ForceManaged ? "managed (forced)"
        : OpenBlas.IsAvailable ? $"openblas ({OpenBlas.LoadedFrom})"
        : PackedGemm.Available ? "packed (no OpenBLAS)"
        : "managed (no OpenBLAS)";

    /// <summary>Forces the managed fallback (for tests that compare the two paths).</summary>
    public static bool ForceManaged { get; set; }

    static Blas() => OpenBlas.SetThreads(1);

    /// <summary>
    /// op(A) is m x k, op(B) is k x n, C is m x n. Leading dimensions are the row lengths of the
    /// stored (untransposed) matrices.
    /// </summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (m == 0 || n == 0) return;
        var kernel = Choose(transA, transB, m, n, k);
        if (kernel == Kernel.Managed)
        {
            if (!OpenBlas.IsAvailable && Interlocked.Exchange(ref _warned, 1) == 0)
                Console.Error.WriteLine("aver: warning: OpenBLAS (libopenblas.so.0) not found; using the slower managed matrix product. Run ./setup.sh to install it.");
            ManagedSgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        if (kernel == Kernel.Bf16)
        {   // it shares its rows between the threads itself, after packing op(B) once
            Kernels.Bf16.Bf16Gemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
        {
            int bands = Bands(m, n, k);
            if (bands == 1) Run(kernel, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            else SgemmInBands(kernel, bands, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }

    /// <summary>Sgemm over whole contiguous matrices: A is m x k (or k x m when transposed), B likewise.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, float beta = 0f)
        => Sgemm(transA, transB, m, n, k, 1f, a, transA ? m : k, b, transB ? k : n, beta, c, n);

    private enum Kernel { Packed, OpenBlas, Managed, Bf16 }

    /// <summary>
    /// Aver's packed kernel where <see cref="PackedGemm.Serves"/> measured it faster than OpenBLAS (when
    /// <see cref="Engine.PackedGemm"/> is on), or everywhere its vector path runs when OpenBLAS is missing;
    /// else OpenBLAS, else the managed loop.
    /// </summary>
    private static Kernel Choose(bool transA, bool transB, int m, int n, int k)
    {
        if (ForceManaged) return Kernel.Managed;
        if (Engine.Precision == Precision.Bf16 && Engine.Isa == IsaPath.Avx512 && (long)m * n * k >= Kernels.Bf16.Bf16Gemm.MinWork) return Kernel.Bf16;
        if (PackedGemm.Available && (!OpenBlas.IsAvailable || (Engine.PackedGemm && PackedGemm.Serves(transA, transB, m, n, k)))) return Kernel.Packed;
        return OpenBlas.IsAvailable && k > 0 ? Kernel.OpenBlas : Kernel.Managed;
    }

    private static void Run(Kernel kernel, bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (kernel == Kernel.Packed) PackedGemm.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else OpenBlas.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static int Bands(int m, int n, int k)
    {
        if (Engine.Threads < 2 || Engine.InParallelLoop || (long)m * n * k < MinParallelWork) return 1;
        return Math.Clamp(Math.Max(m, n) / BandAlignment, 1, Engine.Threads);
    }

    /// <summary>One product per band of C's rows (when it has more rows than columns) or columns, in parallel.</summary>
    private static void SgemmInBands(Kernel kernel, int bands, bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        bool byRows = m >= n;
        int length = byRows ? m : n, blocks = (length + BandAlignment - 1) / BandAlignment;
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        Engine.For(bands, band =>
        {
            int start = band * blocks / bands * BandAlignment, end = Math.Min(length, (band + 1) * blocks / bands * BandAlignment);
            // Row band: rows [start, end) of op(A) and C. Column band: columns of op(B) and C.
            float* a0 = (float*)pa, b0 = (float*)pb, c0 = (float*)pc;
            if (byRows) Run(kernel, transA, transB, end - start, n, k, alpha, a0 + (transA ? start : (long)start * lda), lda, b0, ldb, beta, c0 + (long)start * ldc, ldc);
            else Run(kernel, transA, transB, m, end - start, k, alpha, a0, lda, b0 + (transB ? (long)start * ldb : start), ldb, beta, c0 + start, ldc);
        });
    }

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
