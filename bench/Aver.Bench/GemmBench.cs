using System.Diagnostics;
using System.Globalization;
using Aver.Tensors;
using Aver.Tensors.Kernels;
using Aver.Tensors.Native;

namespace Aver.Bench;

/// <summary>
/// Single-threaded SGEMM on the products ResNet-18 (batch 16 training, 32 inference, 3x112x112) and the audio
/// CNN (batch 32, 1x64x301 log-mel, 32-64-128-256 channels) hand to <see cref="Blas.Sgemm(bool,bool,int,int,int,float,ReadOnlySpan{float},int,ReadOnlySpan{float},int,float,Span{float},int)"/>,
/// with the transpositions their kernels use: Aver's packed kernel on each vector path the CPU has
/// against OpenBLAS, alternating within each round, best thread CPU time of the rounds (another job
/// shares the machine). Prints GFLOP/s per shape and the largest difference from OpenBLAS's result.
/// Shapes come from logging every Sgemm call of the resnet-train, resnet-infer and audio-cnn-train benches,
/// plus a few of the Transformer and BiLSTM benches'.
/// </summary>
internal static class GemmBench
{
    /// <summary>Class, where it comes from, transA, transB, m, n, k, and the beta its call site passes.</summary>
    public static readonly (string Class, string Use, bool TransA, bool TransB, int M, int N, int K, float Beta)[] Shapes =
    [
        ("NT small", "wino fwd l1 (infer chunk)", false, true, 227, 64, 64, 0f),
        ("NT small", "wino fwd l2", false, true, 113, 128, 128, 0f),
        ("NT mid", "wino fwd l3", false, true, 56, 256, 256, 0f),
        ("NT mid", "wino fwd l4 infer", false, true, 32, 512, 512, 0f),
        ("NT mid", "wino fwd l4 train", false, true, 16, 512, 512, 0f),
        ("NT small", "audio wino fwd 32->64", false, true, 303, 64, 32, 0f),
        ("NT small", "audio wino fwd 64->128", false, true, 151, 128, 64, 0f),
        ("NT small", "audio wino fwd 128->256", false, true, 75, 256, 128, 0f),
        ("NN small", "wino bwd-data l1", false, false, 227, 64, 64, 0f),
        ("NN small", "wino bwd-data l2", false, false, 113, 128, 128, 0f),
        ("NN mid", "wino bwd-data l3", false, false, 64, 256, 256, 0f),
        ("NN mid", "wino bwd-data l4", false, false, 16, 512, 512, 0f),
        ("NN small", "audio wino bwd-data 64->32", false, false, 303, 32, 64, 0f),
        ("NN small", "audio wino bwd-data 128->64", false, false, 151, 64, 128, 0f),
        ("TN long-k", "wino dW l1", true, false, 64, 64, 784, 0f),
        ("TN small", "wino dW l2", true, false, 128, 128, 256, 0f),
        ("TN small", "wino dW l3", true, false, 256, 256, 64, 0f),
        ("TN short-k", "wino dW l4", true, false, 512, 512, 16, 0f),
        ("TN long-k", "audio wino dW 32->64", true, false, 64, 32, 9728, 0f),
        ("TN long-k", "audio wino dW 64->128", true, false, 128, 64, 2432, 0f),
        ("TN long-k", "audio wino dW 128->256", true, false, 256, 128, 640, 0f),
        ("NN im2col", "stem fwd", false, false, 64, 840, 147, 0f),
        ("NN im2col", "l2a fwd", false, false, 128, 392, 576, 0f),
        ("NN im2col", "l3a fwd", false, false, 256, 196, 1152, 0f),
        ("NN im2col", "l4a fwd", false, false, 512, 128, 2304, 0f),
        ("NN im2col", "l3ds fwd", false, false, 256, 196, 128, 0f),
        ("NN short-k", "audio conv1 fwd", false, false, 32, 14448, 9, 0f),
        ("NT im2col", "stem dW", false, true, 64, 147, 840, 1f),
        ("NT im2col", "l2a dW", false, true, 128, 576, 392, 1f),
        ("NT im2col", "l3a dW", false, true, 256, 1152, 196, 1f),
        ("NT im2col", "l4a dW", false, true, 512, 2304, 128, 1f),
        ("NT long-k", "audio conv1 dW", false, true, 32, 9, 14448, 1f),
        ("TN im2col", "l2a dcol", true, false, 576, 392, 128, 0f),
        ("TN im2col", "l3a dcol", true, false, 1152, 196, 256, 0f),
        ("TN im2col", "l4a dcol", true, false, 2304, 128, 512, 0f),
        // Outside the convolutions: the Transformer bench's feed-forward (batch 32 x T 50 rows), a BiLSTM step, attention scores.
        ("NT large", "transformer ff1 fwd", false, true, 1600, 2048, 512, 0f),
        ("NN large", "transformer ff2 dX", false, false, 1600, 512, 2048, 1f),
        ("NT small", "lstm step", false, true, 32, 1024, 256, 1f),
        ("NT small", "attention scores", false, true, 50, 50, 64, 0f),
        // Row lengths of 4 KB, where reading A or B in place could thrash the caches' sets.
        ("NN pow2", "check: ldb 1024", false, false, 128, 1024, 256, 0f),
        ("NN pow2", "check: lda 1024", false, false, 256, 128, 1024, 0f),
    ];

    public static void Run(double seconds, TextWriter output)
    {
        var paths = new List<IsaPath> { IsaPath.Avx512, IsaPath.Avx2 }.FindAll(p => p <= CpuFeatures.Supported);
        output.WriteLine($"# {CpuFeatures.ModelName}, OPENBLAS_CORETYPE={Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "unset"}, one thread, GFLOP/s (best of rounds)");
        output.WriteLine("class | use | op | m | n | k | beta | " + string.Join(" | ", paths.ConvertAll(p => $"aver {p.ToString().ToLowerInvariant()}")) + " | openblas | best/openblas | max diff");
        OpenBlas.SetThreads(1); // as Blas sets it; the bench calls OpenBLAS directly
        var rng = new RandomStream(1);
        var saved = Engine.Isa;
        // AVER_GEMM_SHAPES=wino (a prefix of the use column) times only the matching shapes, e.g. under perf.
        string only = Environment.GetEnvironmentVariable("AVER_GEMM_SHAPES") ?? "";
        try
        {
            foreach (var s in Shapes)
            {
                if (!s.Use.StartsWith(only, StringComparison.Ordinal)) continue;
                // Several copies of the operands, used in turn, 64 MB in all (past the L3 share): the call sites
                // read operands fresh from memory (36 Winograd taps, im2col columns), not from a warm cache.
                long bytes = 4L * ((long)s.M * s.K + (long)s.K * s.N + 2L * s.M * s.N);
                int copies = (int)Math.Clamp((64L << 20) / bytes, 1, 64);
                var a = new float[copies][]; var b = new float[copies][]; var c = new float[copies][]; var cRef = new float[copies][];
                for (int i = 0; i < copies; i++)
                {
                    a[i] = Tensor.Uniform(rng, -1f, 1f, s.M * s.K).Data;
                    b[i] = Tensor.Uniform(rng, -1f, 1f, s.K * s.N).Data;
                    c[i] = Tensor.Uniform(rng, -1f, 1f, s.M * s.N).Data;
                    cRef[i] = (float[])c[i].Clone();
                }
                var c0 = (float[])c[0].Clone();
                int lda = s.TransA ? s.M : s.K, ldb = s.TransB ? s.K : s.N;
                double flops = 2.0 * s.M * s.N * s.K;
                // Enough repetitions for about 2 ms per timing.
                int reps = (int)Math.Clamp(2e-3 * 50e9 / flops, copies, 10000);
                var best = new double[paths.Count + 1];
                Array.Fill(best, double.MaxValue);
                var clock = Stopwatch.StartNew();
                for (int round = 0; round < 5 || clock.Elapsed.TotalSeconds < seconds / Shapes.Length; round++)
                    for (int which = 0; which <= paths.Count; which++)
                    {
                        int w = round % 2 == 0 ? which : paths.Count - which; // alternate who goes first
                        if (w < paths.Count) Engine.Isa = paths[w];
                        double t = CpuTime.ThreadSeconds();
                        for (int r = 0; r < reps; r++) Product(w == paths.Count, s.TransA, s.TransB, s.M, s.N, s.K, a[r % copies], lda, b[r % copies], ldb, s.Beta, (w == paths.Count ? cRef : c)[r % copies]);
                        best[w] = Math.Min(best[w], (CpuTime.ThreadSeconds() - t) / reps);
                    }
                // With beta 1 the repetitions accumulate; compare one fresh product of each.
                c0.CopyTo(cRef[0], 0); c0.CopyTo(c[0], 0);
                Engine.Isa = paths[0];
                Product(true, s.TransA, s.TransB, s.M, s.N, s.K, a[0], lda, b[0], ldb, s.Beta, cRef[0]);
                Product(false, s.TransA, s.TransB, s.M, s.N, s.K, a[0], lda, b[0], ldb, s.Beta, c[0]);
                float diff = 0f;
                for (int i = 0; i < c0.Length; i++) diff = Math.Max(diff, Math.Abs(c[0][i] - cRef[0][i]));
                var rates = Array.ConvertAll(best, t => flops / t / 1e9);
                double ours = 0;
                for (int i = 0; i < paths.Count; i++) ours = Math.Max(ours, rates[i]);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{s.Class} | {s.Use} | {(s.TransA ? 'T' : 'N')}{(s.TransB ? 'T' : 'N')} | {s.M} | {s.N} | {s.K} | {s.Beta} | {string.Join(" | ", Array.ConvertAll(rates, r => r.ToString("F1", CultureInfo.InvariantCulture)))} | {ours / rates[^1]:F2} | {diff:G2}"));
            }
        }
        finally { Engine.Isa = saved; }
    }

    private static unsafe void Product(bool openBlas, bool ta, bool tb, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float beta, float[] c)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (openBlas) OpenBlas.Sgemm(ta, tb, m, n, k, 1f, pa, lda, pb, ldb, beta, pc, n);
            else PackedGemm.Sgemm(ta, tb, m, n, k, 1f, pa, lda, pb, ldb, beta, pc, n);
        }
    }
}
