using System.Globalization;
using Aver.Tensors;
using Aver.Tensors.Kernels.Bf16;
using Aver.Tensors.Native;

namespace Aver.Bench;

/// <summary>
/// `gemm-bf16`: <see cref="Bf16Gemm"/> (bf16 inputs, fp32 sums, AVX512_BF16) against OpenBLAS's fp32 SGEMM on
/// <see cref="GemmBench.Shapes"/>, one thread, operands cycled through 64 MB as there, the two alternating within
/// each round, best thread CPU time. The packing to bf16 is inside the timed call, as a caller would pay it.
/// Prints GFLOP/s and the largest difference from OpenBLAS relative to the largest |C| (the price of 8-bit mantissas).
/// </summary>
internal static class Bf16GemmBench
{
    public static void Run(double seconds, TextWriter output)
    {
        if (!Bf16Gemm.IsSupported) { output.WriteLine("# this CPU has no AVX512_BF16: nothing to measure"); return; }
        output.WriteLine($"# {CpuFeatures.ModelName}, OPENBLAS_CORETYPE={Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "unset"}, one thread, GFLOP/s (best of rounds)");
        output.WriteLine("use | op | m | n | k | bf16 | openblas fp32 | bf16/openblas | max diff / max |C|");
        OpenBlas.SetThreads(1);
        int threads = Engine.Threads;
        Engine.Threads = 1;
        var rng = new RandomStream(1);
        string only = Environment.GetEnvironmentVariable("AVER_GEMM_SHAPES") ?? "";
        try
        {
            foreach (var s in GemmBench.Shapes)
            {
                if (!s.Use.StartsWith(only, StringComparison.Ordinal)) continue;
                long bytes = 4L * ((long)s.M * s.K + (long)s.K * s.N + 2L * s.M * s.N);
                int copies = (int)Math.Clamp((64L << 20) / bytes, 1, 64);
                var a = new float[copies][]; var b = new float[copies][]; var c = new float[copies][];
                for (int i = 0; i < copies; i++)
                {
                    a[i] = Tensor.Uniform(rng, -1f, 1f, s.M * s.K).Data;
                    b[i] = Tensor.Uniform(rng, -1f, 1f, s.K * s.N).Data;
                    c[i] = new float[s.M * s.N];
                }
                int lda = s.TransA ? s.M : s.K, ldb = s.TransB ? s.K : s.N;
                double flops = 2.0 * s.M * s.N * s.K;
                int reps = (int)Math.Clamp(2e-3 * 50e9 / flops, copies, 10000);
                var best = new[] { double.MaxValue, double.MaxValue };
                var clock = System.Diagnostics.Stopwatch.StartNew();
                for (int round = 0; round < 5 || clock.Elapsed.TotalSeconds < seconds / GemmBench.Shapes.Length; round++)
                    for (int which = 0; which < 2; which++)
                    {
                        int w = round % 2 == 0 ? which : 1 - which;
                        double t = CpuTime.ThreadSeconds();
                        for (int r = 0; r < reps; r++) Product(w == 1, s.TransA, s.TransB, s.M, s.N, s.K, a[r % copies], lda, b[r % copies], ldb, c[r % copies]);
                        best[w] = Math.Min(best[w], (CpuTime.ThreadSeconds() - t) / reps);
                    }
                var reference = new float[s.M * s.N];
                var ours = new float[s.M * s.N];
                Product(true, s.TransA, s.TransB, s.M, s.N, s.K, a[0], lda, b[0], ldb, reference);
                Product(false, s.TransA, s.TransB, s.M, s.N, s.K, a[0], lda, b[0], ldb, ours);
                float diff = 0, max = 0;
                for (int i = 0; i < ours.Length; i++) { diff = Math.Max(diff, Math.Abs(ours[i] - reference[i])); max = Math.Max(max, Math.Abs(reference[i])); }
                double bf = flops / best[0] / 1e9, blas = flops / best[1] / 1e9;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{s.Use} | {(s.TransA ? 'T' : 'N')}{(s.TransB ? 'T' : 'N')} | {s.M} | {s.N} | {s.K} | {bf:F1} | {blas:F1} | {bf / blas:F2} | {diff / max:G2}"));
            }
        }
        finally { Engine.Threads = threads; }
    }

    private static unsafe void Product(bool openBlas, bool ta, bool tb, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c)
    {
        if (!openBlas) { Bf16Gemm.Multiply(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n); return; }
        fixed (float* pa = a, pb = b, pc = c) OpenBlas.Sgemm(ta, tb, m, n, k, 1f, pa, lda, pb, ldb, 0f, pc, n);
    }
}
