using Aver.Tensors.Kernels.Bf16;

namespace Aver.Tensors.Tests.Kernels;

/// <summary>A fact that runs where the CPU has AVX512_BF16 (the machine-code kernel needs it) and is skipped, saying so, elsewhere.</summary>
internal sealed class FactBf16Attribute : FactAttribute
{
    public FactBf16Attribute() => Skip = Bf16Gemm.IsSupported ? null : "the CPU has no AVX512_BF16: bf16 kernel test skipped";
}

/// <summary>Bf16Gemm: bfloat16 rounding, and products against a double-precision sum of the same rounded inputs.</summary>
public sealed class Bf16GemmTests
{
    [Fact]
    public void RoundingIsToNearestEvenAndKeepsSpecialValues()
    {
        Assert.Equal(0x3F80, Bf16Gemm.Round(1f));
        // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: ties go to the even mantissa (1); 1 + 3 * 2^-8 goes up to 1 + 2^-6.
        Assert.Equal(0x3F80, Bf16Gemm.Round(1f + 1f / 256));
        Assert.Equal(0x3F82, Bf16Gemm.Round(1f + 3f / 256));
        Assert.Equal(0x3F81, Bf16Gemm.Round(1f + 1.01f / 256));                     // just above halfway: up
        Assert.Equal(0xBF80, Bf16Gemm.Round(-1f));
        Assert.Equal(0x7F80, Bf16Gemm.Round(float.PositiveInfinity));
        Assert.Equal(0x7F80, Bf16Gemm.Round(float.MaxValue));                       // past bf16's largest finite value
        Assert.True(float.IsNaN(Bf16Gemm.Widen(Bf16Gemm.Round(float.NaN))));
        Assert.True(float.IsNaN(Bf16Gemm.Widen(Bf16Gemm.Round(BitConverter.UInt32BitsToSingle(0x7F800001)))));   // a NaN whose payload would round to infinity
        for (float x = -3f; x <= 3f; x += 0.37f)
            Assert.True(Math.Abs(Bf16Gemm.Widen(Bf16Gemm.Round(x)) - x) <= Math.Abs(x) / 256, $"{x}");       // half an ulp of 8 bits
    }

    [FactBf16]
    public void ProductsMatchADoubleSumOfTheRoundedInputsOnEveryLayout()
    {
        int threads = Engine.Threads;
        try
        {
            foreach (int t in new[] { 1, 2 })
            {
                Engine.Threads = t;
                foreach (var (m, n, k) in new[] { (1, 1, 1), (16, 16, 2), (17, 33, 7), (40, 5, 64), (3, 50, 129), (64, 48, 300) })
                    foreach (bool ta in new[] { false, true })
                        foreach (bool tb in new[] { false, true })
                            Check(m, n, k, ta, tb, t);
            }
        }
        finally { Engine.Threads = threads; }
    }

    private static void Check(int m, int n, int k, bool transA, bool transB, int threads)
    {
        var rng = new Random(m * 1000 + n * 10 + k);
        // Stored with row strides wider than the rows, as the convolutions' operands often are.
        int lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 2, ldc = n + 5;
        var a = new float[(transA ? k : m) * lda];
        var b = new float[(transB ? n : k) * ldb];
        var c = new float[m * ldc];
        foreach (var arr in new[] { a, b, c })
            for (int i = 0; i < arr.Length; i++) arr[i] = (float)(rng.NextDouble() * 2 - 1);
        var before = (float[])c.Clone();
        const float alpha = 0.75f, beta = -0.5f;
        Bf16Gemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        double R(float x) => Bf16Gemm.Widen(Bf16Gemm.Round(x));
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int s = 0; s < k; s++)
                {
                    double p = R(transA ? a[s * lda + i] : a[i * lda + s]) * R(transB ? b[j * ldb + s] : b[s * ldb + j]);
                    sum += p;
                    magnitude += Math.Abs(p);
                }
                double expected = alpha * sum + beta * before[i * ldc + j];
                // fp32 sums of exact bf16 x bf16 products: a few float ulps of the sum of magnitudes.
                Assert.True(Math.Abs(c[i * ldc + j] - expected) <= 4e-7 * (magnitude + 1) * Math.Sqrt(k + 1),
                    $"{m}x{n}x{k} transA {transA} transB {transB}, {threads} thread(s): C[{i},{j}] = {c[i * ldc + j]}, expected {expected}");
            }
        // Past each row's n columns C is untouched.
        for (int i = 0; i < m; i++)
            for (int j = n; j < ldc && i * ldc + j < c.Length; j++) Assert.Equal(before[i * ldc + j], c[i * ldc + j]);
    }
}

/// <summary>Engine.Precision bf16 routes Blas's large products to Bf16Gemm and leaves the small ones in fp32.</summary>
public sealed class Bf16PrecisionTests
{
    [FactBf16]
    public void LargeProductsGoToBf16AndSmallOnesStayFp32()
    {
        var (precision, isa) = (Engine.Precision, Engine.Isa);
        try
        {
            Engine.Isa = IsaPath.Avx512;   // bf16 runs on the avx512 path (also when AVER_ISA forces a slower one for the run)
            var rng = new Random(5);
            float[] R(int n) { var x = new float[n]; for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1); return x; }
            // 256 x 256 x 512 = 2^25 multiply-adds: the smallest product bf16 takes; 64 x 64 x 64 stays fp32.
            foreach (var (m, n, k, bf16) in new[] { (256, 256, 512, true), (64, 64, 64, false) })
            {
                var a = R(m * k); var b = R(k * n);
                var fp32 = new float[m * n]; var mixed = new float[m * n]; var direct = new float[m * n];
                Engine.Precision = Precision.Fp32;
                Blas.Sgemm(false, false, m, n, k, a, b, fp32);
                Engine.Precision = Precision.Bf16;
                Blas.Sgemm(false, false, m, n, k, a, b, mixed);
                Bf16Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, direct, n);
                if (bf16)
                {
                    Assert.Equal(direct, mixed);                                     // the bf16 kernel's own answer
                    double worst = 0;
                    for (int i = 0; i < fp32.Length; i++) worst = Math.Max(worst, Math.Abs(mixed[i] - fp32[i]));
                    Assert.InRange(worst, 1e-4, 0.2);                                 // bf16 inputs: visibly not fp32, still close
                }
                else Assert.Equal(fp32, mixed);                                      // too small: fp32, bit for bit
            }
        }
        finally { Engine.Precision = precision; Engine.Isa = isa; }
    }

    [FactBf16]
    public void AForcedSlowerIsaPathKeepsFp32AndRefusesBf16()
    {
        var (precision, isa) = (Engine.Precision, Engine.Isa);
        try
        {
            var rng = new Random(6);
            float[] R(int n) { var x = new float[n]; for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1); return x; }
            const int m = 256, n = 256, k = 512;
            var a = R(m * k); var b = R(k * n);
            var fp32 = new float[m * n]; var forced = new float[m * n];
            Engine.Isa = IsaPath.Avx2;
            Engine.Precision = Precision.Fp32;
            Blas.Sgemm(false, false, m, n, k, a, b, fp32);
            Engine.Isa = IsaPath.Avx512;
            Engine.Precision = Precision.Bf16;
            Engine.Isa = IsaPath.Avx2;                           // lowered after bf16 was chosen: the products still stay fp32
            Blas.Sgemm(false, false, m, n, k, a, b, forced);
            Assert.Equal(fp32, forced);
            Assert.Contains("AVER_ISA forces avx2", Engine.ParsePrecision("bf16", out var chosen));
            Assert.Equal(Precision.Fp32, chosen);
        }
        finally { Engine.Isa = isa; Engine.Precision = precision; }
    }
}
