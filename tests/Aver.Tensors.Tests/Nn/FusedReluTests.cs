using Aver.Tensors.Nn;

namespace Aver.Tensors.Tests.Nn;

using static TestData;

/// <summary>
/// Batch norm + ReLU and add + ReLU as single ops: equal to the unfused composition (values and
/// gradients) and checked by finite differences on inputs kept away from ReLU's kink.
/// </summary>
public class FusedReluTests
{
    // Per channel of [3, 2, 4], the values +-0.5, +-1.5, ..., +-5.5 in a shuffled order: the
    // normalised values are odd multiples of 0.145, so with the weight and bias below no
    // pre-activation is within 0.03 of zero (asserted) and finite differences see no kink.
    private static Tensor Spaced()
    {
        var x = new Tensor(3, 2, 4);
        var perm = new RandomStream(7).Permutation(12);
        for (int n = 0; n < 3; n++)
            for (int c = 0; c < 2; c++)
                for (int i = 0; i < 4; i++)
                    x[n, c, i] = perm[(n * 4 + i + 5 * c) % 12] - 5.5f;
        return x.RequireGrad();
    }

    private static Tensor Weight() => Tensor.FromArray([0.7f, -1.3f], 2).RequireGrad();
    private static Tensor Bias() => Tensor.FromArray([0.25f, -0.6f], 2).RequireGrad();

    [Fact]
    public void BatchNormReluTrainingGradients()
    {
        var x = Spaced();
        using (GradMode.NoGrad())
        {
            var pre = x.BatchNorm(null, null, Weight(), Bias(), training: true);
            Assert.True(pre.Data.Min(MathF.Abs) > 0.03f, "a pre-activation is too close to ReLU's kink");
            Assert.Contains(pre.Data, v => v < 0);
        }
        NormalizationGradients.Assert(t => t[0].BatchNorm(null, null, t[1], t[2], training: true, relu: true), x, Weight(), Bias());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNormReluEqualsBatchNormThenRelu(bool training)
    {
        var data = Tensor.Normal(new RandomStream(3), 0.2f, 1.5f, 4, 3, 5, 6);
        var gy = Tensor.Normal(new RandomStream(4), 0f, 1f, 4, 3, 5, 6);
        (Tensor Y, float[] Dx, float[] Dw, float[] Db, float[] Mean) Run(bool fused)
        {
            var x = data.Detach().RequireGrad();
            var w = Tensor.FromArray([0.5f, -1f, 2f], 3).RequireGrad();
            var b = Tensor.FromArray([0.1f, 0.3f, -0.2f], 3).RequireGrad();
            var rm = Tensor.FromArray([0.1f, -0.1f, 0.2f], 3);
            var rv = Tensor.FromArray([1.2f, 0.8f, 2f], 3);
            var y = fused ? x.BatchNorm(rm, rv, w, b, training, relu: true) : x.BatchNorm(rm, rv, w, b, training).Relu();
            y.Backward(gy);
            return (y, x.Grad!, w.Grad!, b.Grad!, rm.Data);
        }
        var f = Run(true);
        var u = Run(false);
        Assert.Equal(u.Y.Data, f.Y.Data);
        Assert.Equal(u.Mean, f.Mean);
        Fixture.AssertClose(u.Dx, f.Dx, "input gradient");
        Fixture.AssertClose(u.Dw, f.Dw, "weight gradient");
        Fixture.AssertClose(u.Db, f.Db, "bias gradient");
        Assert.Contains(f.Y.Data, v => v == 0f);
    }

    [Fact]
    public void BatchNormAddReluTrainingGradients()
    {
        var x = Spaced();
        var r = Tensor.Uniform(new RandomStream(11), -0.005f, 0.005f, 3, 2, 4).RequireGrad();
        using (GradMode.NoGrad())
        {
            var pre = x.BatchNorm(null, null, Weight(), Bias(), training: true) + r;
            Assert.True(pre.Data.Min(MathF.Abs) > 0.025f, "a pre-activation is too close to ReLU's kink");
        }
        NormalizationGradients.Assert(t => t[0].BatchNorm(null, null, t[1], t[2], training: true, relu: true, residual: t[3]), x, Weight(), Bias(), r);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void BatchNormAddReluEqualsTheComposition(bool training, bool relu)
    {
        var data = Tensor.Normal(new RandomStream(3), 0.2f, 1.5f, 4, 3, 5, 6);
        var shortcut = Tensor.Normal(new RandomStream(12), 0f, 1f, 4, 3, 5, 6);
        var gy = Tensor.Normal(new RandomStream(4), 0f, 1f, 4, 3, 5, 6);
        (float[] Y, float[] Dx, float[] Dw, float[] Dr) Run(bool fused)
        {
            var x = data.Detach().RequireGrad();
            var r = shortcut.Detach().RequireGrad();
            r.Sum().Mul(0.5f).Backward();  // a gradient from another consumer, to be added to
            var w = Tensor.FromArray([0.5f, -1f, 2f], 3).RequireGrad();
            var rm = Tensor.FromArray([0.1f, -0.1f, 0.2f], 3);
            var rv = Tensor.FromArray([1.2f, 0.8f, 2f], 3);
            Tensor y;
            if (fused) y = x.BatchNorm(rm, rv, w, null, training, relu: relu, residual: r);
            else { y = x.BatchNorm(rm, rv, w, null, training) + r; if (relu) y = y.Relu(); }
            y.Backward(gy);
            return (y.Data, x.Grad!, w.Grad!, r.Grad!);
        }
        var f = Run(true);
        var u = Run(false);
        Assert.Equal(u.Y, f.Y);
        Fixture.AssertClose(u.Dx, f.Dx, "input gradient");
        Fixture.AssertClose(u.Dw, f.Dw, "weight gradient");
        Assert.Equal(u.Dr, f.Dr);
    }

    [Fact]
    public void ResidualMustMatchTheInput()
    {
        var x = Tensor.Zeros(2, 3, 4);
        Assert.Throws<ShapeException>(() => x.BatchNorm(null, null, null, null, training: true, relu: true, residual: Tensor.Zeros(2, 3, 1)));
    }

    [Fact]
    public void ModuleForwardReluKeepsTheStateAndMatches()
    {
        var x = Tensor.Normal(new RandomStream(5), 0f, 1f, 2, 3, 4, 4);
        var fused = new BatchNorm2d(3);
        var plain = new BatchNorm2d(3);
        var y = fused.ForwardRelu(x);
        Assert.Equal(plain.Forward(x).Relu().Data, y.Data);
        Assert.Equal(plain.StateDict().Select(kv => kv.Key), fused.StateDict().Select(kv => kv.Key));
        Assert.Equal(plain.RunningVar!.Data, fused.RunningVar!.Data);
        Assert.Equal(1f, fused.NumBatchesTracked!.Item());
    }

    [Fact]
    public void AddReluGradients()
    {
        // a at least 0.05 from zero and b within 0.02 of it: a + b never crosses the kink.
        var a = Rand(1, 3, 4, 5);
        for (int i = 0; i < a.Size; i++) a.Data[i] += a.Data[i] >= 0 ? 0.05f : -0.05f;
        var b = Rand(2, 3, 4, 5);
        for (int i = 0; i < b.Size; i++) b.Data[i] *= 0.02f;
        AssertGradients(t => t[0].AddRelu(t[1]), a, b);
    }

    [Fact]
    public void AddReluEqualsAddThenRelu()
    {
        var ad = Tensor.Normal(new RandomStream(8), 0f, 1f, 3, 70000);
        var bd = Tensor.Normal(new RandomStream(9), 0f, 1f, 3, 70000);
        ad.Data[5] = float.NaN;
        var gy = Tensor.Normal(new RandomStream(10), 0f, 1f, 3, 70000);
        (float[] Y, float[] Ga, float[] Gb) Run(bool fused)
        {
            var a = ad.Detach().RequireGrad();
            var b = bd.Detach().RequireGrad();
            var y = fused ? a.AddRelu(b) : (a + b).Relu();
            y.Backward(gy);
            return (y.Data, a.Grad!, b.Grad!);
        }
        var f = Run(true);
        var u = Run(false);
        Assert.True(float.IsNaN(f.Y[5]));
        Assert.Equal(u.Y, f.Y);
        Assert.Equal(u.Ga, f.Ga);
        Assert.Equal(u.Gb, f.Gb);
    }

    [Fact]
    public void AddReluOfATensorWithItselfDoublesTheGradient()
    {
        var a = Tensor.FromArray([1f, -2f, 3f], 3).RequireGrad();
        a.AddRelu(a).Sum().Backward();
        Assert.Equal([2f, 0f, 2f], a.Grad!);
    }

    [Fact]
    public void AddReluBroadcastsThroughTheComposition()
    {
        var a = Rand(3, 2, 3);
        var b = Tensor.FromArray([0.5f, -0.5f, 0f], 3);
        Assert.Equal((a + b).Relu().Data, a.AddRelu(b).Data);
    }
}
