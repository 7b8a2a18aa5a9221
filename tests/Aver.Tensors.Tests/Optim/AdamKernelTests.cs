using Aver.Tensors.Kernels;

namespace Aver.Tensors.Tests.Optim;

/// <summary>
/// The one-pass Adam update: the documented formula element by element (float arithmetic, no fused multiply-adds), the
/// same bits on every vector path, odd lengths included.
/// </summary>
public sealed class AdamKernelTests
{
    public static TheoryData<float, float, bool> Variants => new()
    {
        { 1f, 0f, false },        // Adam
        { 0.999f, 0f, false },    // AdamW's decoupled shrink
        { 1f, 0.05f, false },     // Adam with L2 weight decay
        { 0.999f, 0f, true },     // AMSGrad
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryPathComputesTheFormulaElementByElement(float shrink, float l2, bool ams)
    {
        const int n = 16 * 5 + 8 + 3; // whole 512-bit and 256-bit vectors, then a scalar tail
        var rng = new RandomStream(11);
        float[] p0 = Tensor.Normal(rng, 0f, 1f, n).Data, g = Tensor.Normal(rng, 0f, 0.1f, n).Data;
        float[] m0 = Tensor.Normal(rng, 0f, 0.01f, n).Data, v0 = Tensor.Uniform(rng, 0f, 1e-3f, n).Data, x0 = Tensor.Uniform(rng, 0f, 1e-3f, n).Data;
        var k = new AdamKernel.Constants(shrink, l2, 0.9f, (float)(1 - 0.9), 0.999f, (float)(1 - 0.999), 1.3f, 1e-8f, -0.01f);

        // The reference: the update as AdamKernel documents it, one element at a time.
        float[] pe = (float[])p0.Clone(), me = (float[])m0.Clone(), ve = (float[])v0.Clone(), xe = (float[])x0.Clone();
        for (int i = 0; i < n; i++)
        {
            float p = pe[i] * shrink, gi = l2 != 0f ? p * l2 + g[i] : g[i];
            me[i] = me[i] * k.Beta1 + gi * k.OneMinusBeta1;
            ve[i] = ve[i] * k.Beta2 + gi * gi * k.OneMinusBeta2;
            float second = ams ? (xe[i] = MathF.Max(xe[i], ve[i])) : ve[i];
            pe[i] = me[i] / (MathF.Sqrt(second) * k.InvCorrection2 + k.Epsilon) * k.NegStep + p;
        }

        IsaPath was = Engine.Isa;
        try
        {
            foreach (var isa in new[] { IsaPath.Scalar, IsaPath.Avx2, IsaPath.Avx512 })
            {
                if (isa > CpuFeatures.Supported) continue;
                Engine.Isa = isa;
                float[] p = (float[])p0.Clone(), m = (float[])m0.Clone(), v = (float[])v0.Clone(), x = (float[])x0.Clone();
                AdamKernel.Step(p, g, m, v, ams ? x : default, k);
                Assert.Equal(pe, p);
                Assert.Equal(me, m);
                Assert.Equal(ve, v);
                if (ams) Assert.Equal(xe, x);
            }
        }
        finally { Engine.Isa = was; }
    }

    [Fact]
    public void SpansOfDifferentLengthsAreRefused()
        => Assert.Throws<ArgumentException>(() => AdamKernel.Step(new float[4], new float[4], new float[3], new float[4], default,
            new AdamKernel.Constants(1f, 0f, 0.9f, 0.1f, 0.999f, 0.001f, 1f, 1e-8f, -1e-3f)));
}
