using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Aver.Tensors.Kernels;

/// <summary>
/// Aver's own single-threaded SGEMM, C = alpha * op(A) op(B) + beta * C, row-major, after Goto and van de
/// Geijn 2008 ("Anatomy of high-performance matrix multiplication"): k is cut into blocks of at most
/// <see cref="KBlockMax"/> steps; per block, up to L2/2 bytes of op(B) are packed into panels of NR columns
/// (the block stays in L2), then per MR rows of op(A) one panel is packed (it stays in L1) and multiplied
/// by every B panel with the register tile of <see cref="GemmMicroKernels"/> (AVX-512 8 x 32, AVX2 6 x 16).
/// On the AVX-512 path whole tiles read A where it lies, transposed or not, without a copy. Edge tiles run on zero-padded panels into a scratch tile; the last 16 or fewer
/// columns of an AVX-512 product take a 16-wide tile.
/// </summary>
/// <remarks>
/// Every element of C is the same sequence of operations wherever it lies, on either path: per k block a
/// fused multiply-add chain over k ascending, then C = alpha * sum + beta * C (beta 1 after the first block).
/// Its bits therefore depend on k alone, not on the band a thread computes nor on the tile sizes.
/// </remarks>
internal static unsafe class PackedGemm
{
    /// <summary>
    /// Most steps of k per block: an A panel of 8 rows is 8 KB at 256 steps (L1 is 32 KB and more). 128, 384
    /// and 512 measured the same within the noise on bench/gemm.md's shapes.
    /// </summary>
    internal const int KBlockMax = 256;

    // Per-thread pinned pack buffer, grown on demand; a band or a parallel loop's product reuses its thread's.
    [ThreadStatic] private static float[]? _buffer;

    /// <summary>True when the path <see cref="Engine.Isa"/> selects has a micro-kernel here (AVX2 + FMA or AVX-512).</summary>
    public static bool Available => Engine.Isa >= IsaPath.Avx2 && Fma.IsSupported;

    /// <summary>
    /// Whether Blas hands this product to the packed kernel rather than OpenBLAS (with OPENBLAS_CORETYPE=Haswell)
    /// when <see cref="Engine.PackedGemm"/> is on: where bench/gemm.md's micro-benchmark measured it faster, one thread,
    /// operands read from memory — every shape on AMD EPYC Zen 5, the shape classes below on Zen 4 (ratios are
    /// Aver / OpenBLAS there).
    /// </summary>
    /// <summary>Benches set this to hand every product to the packed kernel, as on Zen 5, where it would take only some.</summary>
    internal static bool ServeAll;

    public static bool Serves(bool transA, bool transB, int m, int n, int k)
    {
        // The AVX2 tile ran 10-30% below OpenBLAS's Haswell kernel on every shape.
        if (Engine.Isa < IsaPath.Avx512) return false;
        // With full-rate 512-bit FMAs (Zen 5) the kernel beat OpenBLAS on every shape measured, 1.16-2.67x.
        if (CpuFeatures.FullRateAvx512Fma || ServeAll) return true;
        // The rest was measured where they run at half rate (Zen 4).
        // Small short products: edges and packing weigh most (attention scores 50 x 50 x 64: 0.79).
        if ((long)m * n < 4096 && k < 1024) return false;
        // TN: Winograd weight gradients with short sums 1.01-1.12; longer ones and im2col's column gradients 0.97-1.02.
        if (transA) return !transB && k <= 64;
        // NN: Winograd input gradients 1.03-1.27, im2col forward 0.97-1.28. NT: Winograd forward 0.99-1.27
        // and im2col weight gradients 0.98-1.01 up to k 512; k 840 (the stem's) 0.94.
        return !transB || k <= 512;
    }

    /// <summary>
    /// Steps of k per block: k split into nearly equal blocks of at most <see cref="KBlockMax"/>, rounded up
    /// to a multiple of 8 (whole transposes in <see cref="GemmPacking.Strided"/>); the last block may be shorter.
    /// </summary>
    internal static int KBlock(int k)
    {
        int blocks = (k + KBlockMax - 1) / KBlockMax;
        return Math.Min(KBlockMax, ((k + blocks - 1) / blocks + 7) & ~7);
    }

    /// <summary>op(A) is m x k, op(B) is k x n, C is m x n; leading dimensions are the stored matrices' row lengths.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m <= 0 || n <= 0) return;
        if (k <= 0 || alpha == 0f) { Scale(m, n, beta, c, ldc); return; }
        bool wide = Engine.Isa >= IsaPath.Avx512;
        int mr = wide ? GemmMicroKernels.Avx512Rows : GemmMicroKernels.Avx2Rows;
        int nr = wide ? GemmMicroKernels.Avx512Columns : GemmMicroKernels.Avx2Columns;
        int kc = KBlock(k);
        int nc = Math.Max(nr, Engine.L2CacheBytes / 2 / sizeof(float) / kc / nr * nr);
        nc = Math.Min(nc, (n + nr - 1) / nr * nr);
        // Each B panel starts on a 64-byte boundary.
        long bFloats = ((long)nc * kc + 15) & ~15L, aFloats = (long)kc * mr;
        float* pack = Buffer(bFloats + aFloats + GemmPacking.Slack);
        float* bp = pack, ap = pack + bFloats;
        float* tile = stackalloc float[mr * nr + 16];
        tile = (float*)(((nint)tile + 63) & ~(nint)63);

        for (int pc = 0; pc < k; pc += kc)
        {
            int kb = Math.Min(kc, k - pc);
            float betaBlock = pc == 0 ? beta : 1f;
            for (int jc = 0; jc < n; jc += nc)
            {
                int nb = Math.Min(nc, n - jc);
                // The B block, one panel per NR columns: op(B)[p, j] is b[p * ldb + j], or b[j * ldb + p] when transposed.
                if (!transB) GemmPacking.ContiguousPanels(b + (long)pc * ldb + jc, ldb, kb, nb, nr, Lanes(wide, nb % nr, nr), bp);
                else
                    for (int jr = 0; jr < nb; jr += nr)
                    {
                        int cols = Math.Min(nr, nb - jr);
                        GemmPacking.Strided(b + (long)(jc + jr) * ldb + pc, ldb, kb, cols, Lanes(wide, cols, nr), bp + (long)jr * kb);
                    }
                for (int ir = 0; ir < m; ir += mr)
                {
                    int rows = Math.Min(mr, m - ir);
                    // One A panel, kept in L1 across the B panels: op(A)[i, p] is a[i * lda + p], or a[p * lda + i] when transposed.
                    // On the AVX-512 path whole tiles read A where it lies, without a copy: an untransposed A as eight
                    // sequential row streams; a transposed one as eight consecutive floats per step of k, lda apart (its
                    // copy into a panel had cost the short products of Winograd's weight gradients and im2col's column
                    // gradients 25-50 %: bench/README.md, session 18). (Reading B in place too was faster from a warm
                    // cache but up to 2x slower on operands read from memory, as the convolutions' are: bench/gemm.md.)
                    bool rowsDirect = wide && rows == mr;
                    if (!rowsDirect)
                    {
                        if (transA) GemmPacking.Contiguous(a + (long)pc * lda + ir, lda, kb, rows, mr, ap);
                        else GemmPacking.Strided(a + (long)ir * lda + pc, lda, kb, rows, mr, ap);
                    }
                    // Where the tile finds row i, step p of the panel: byte offset i * aRow + 4 * p * aStep.
                    float* aPanel = !rowsDirect ? ap : transA ? a + (long)pc * lda + ir : a + (long)ir * lda + pc;
                    nint aRow = !rowsDirect || transA ? sizeof(float) : (nint)lda * sizeof(float);
                    nint aStep = !rowsDirect ? mr : transA ? lda : 1;
                    for (int jr = 0; jr < nb; jr += nr)
                    {
                        int cols = Math.Min(nr, nb - jr), lanes = Lanes(wide, cols, nr);
                        float* bPanel = bp + (long)jr * kb;
                        float* ct = c + (long)ir * ldc + jc + jr;
                        if (rows == mr && cols == lanes) Tile(wide, lanes, kb, aPanel, aRow, aStep, bPanel, ct, ldc, alpha, betaBlock);
                        else
                        {
                            Tile(wide, lanes, kb, aPanel, aRow, aStep, bPanel, tile, lanes, 1f, 0f);
                            GemmMicroKernels.Merge(tile, lanes, rows, cols, ct, ldc, alpha, betaBlock);
                        }
                    }
                }
            }
        }
    }

    // The B panel's width: the last columns of an AVX-512 product take a 16-lane panel when they fit, not half an empty 32.
    private static int Lanes(bool wide, int cols, int nr) => wide && cols <= 16 ? 16 : nr;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(bool wide, int lanes, int kc, float* a, nint aRow, nint aStep, float* b, float* c, int ldc, float alpha, float beta)
    {
        if (!wide) GemmMicroKernels.Avx2(kc, a, b, c, ldc, alpha, beta);
        else if (lanes == 16) GemmMicroKernels.Avx512Narrow(kc, a, aRow, aStep, b, c, ldc, alpha, beta);
        else GemmMicroKernels.Avx512(kc, a, aRow, aStep, b, c, ldc, alpha, beta);
    }

    /// <summary>C = beta * C (zeros when beta is 0, without reading C): the product when k is 0 or alpha is 0.</summary>
    private static void Scale(int m, int n, float beta, float* c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0f) row.Clear();
            else if (beta != 1f) System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    /// <summary>This thread's pack buffer with at least <paramref name="floats"/> floats from a 64-byte boundary.</summary>
    private static float* Buffer(long floats)
    {
        long need = floats + 16;
        if (_buffer is null || _buffer.Length < need)
            _buffer = GC.AllocateUninitializedArray<float>((int)Math.Max(need, 64 * 1024), pinned: true);
        float* p = (float*)Unsafe.AsPointer(ref _buffer[0]);
        return (float*)(((nint)p + 63) & ~(nint)63);
    }
}
