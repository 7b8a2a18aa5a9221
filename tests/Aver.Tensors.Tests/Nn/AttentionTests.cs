using Aver.Tensors.Nn;
using Aver.Testing;

namespace Aver.Tensors.Tests.Nn;

using static TestData;

/// <summary>MultiheadAttention against torch and finite differences; the softmax it relies on.</summary>
public class AttentionTests
{
    [Fact]
    public void MatchesTorchWithKeyPaddingMask()
    {
        var f = new SequenceFixture("attention");
        var x = f.Leaf("x");
        var attn = f.Load(new MultiheadAttention(x.Dim(2), 2, dropout: 0.1f));
        var r = attn.Attend(x, f["mask"]);
        Fixture.AssertClose(f["output"], r.Output, "output");
        Fixture.AssertClose(f["weights"], r.Weights, "attention weights");
        f.Loss((r.Output, "output")).Backward();
        Fixture.AssertClose(f["grad.x"], x.GradTensor(), "grad of x");
        f.AssertParameterGradients(attn);
    }

    [Fact]
    public void GradientsWithMask()
    {
        var attn = new MultiheadAttention(4, 2, rng: new RandomStream(3));
        var mask = MultiheadAttention.PaddingMask([3, 2], 3);
        AssertGradients(v => attn.Forward(v[0], mask), [Rand(1, 2, 3, 4), .. attn.Parameters()]);
    }

    [Fact]
    public void FusedOpGradientsWithMaskDropoutAndWeights()
    {
        var mask = MultiheadAttention.PaddingMask([4, 3], 4);
        // A fresh stream per call draws the same dropout mask, so finite differences see one function.
        AssertGradients(v =>
        {
            var (context, weights) = ScaledDotProductAttention.Forward(v[0], 2, mask, 0.3f, new RandomStream(8));
            return Tensor.Concat([context.Flatten(0), weights.Flatten(0)], 0);
        }, Rand(2, 2, 4, 12));
    }

    [Fact]
    public void PaddedKeysGetNoWeight()
    {
        var attn = new MultiheadAttention(4, 2, rng: new RandomStream(4));
        var x = Tensor.Uniform(new RandomStream(5), -1, 1, 2, 4, 4);
        var r = attn.Attend(x, MultiheadAttention.PaddingMask([4, 2], 4));
        for (int h = 0; h < 2; h++)
            for (int q = 0; q < 4; q++)
            {
                Assert.Equal(0f, r.Weights[1, h, q, 2]);
                Assert.Equal(0f, r.Weights[1, h, q, 3]);
                Assert.Equal(1f, r.Weights[1, h, q, 0] + r.Weights[1, h, q, 1], 1e-6f);
            }
        // Changing what sits in the padding must not change the valid steps' outputs.
        var x2 = x.Detach();
        for (int t = 2; t < 4; t++) for (int e = 0; e < 4; e++) x2[1, t, e] = 9f;
        var r2 = attn.Attend(x2, MultiheadAttention.PaddingMask([4, 2], 4));
        for (int t = 0; t < 2; t++) for (int e = 0; e < 4; e++) Assert.Equal(r.Output[1, t, e], r2.Output[1, t, e], 1e-6f);
    }

    [Fact]
    public void DropoutActsOnlyInTraining()
    {
        var attn = new MultiheadAttention(8, 2, dropout: 0.5f, rng: new RandomStream(6));
        var x = Tensor.Uniform(new RandomStream(7), -1, 1, 2, 6, 8);
        var a = attn.Forward(x); var b = attn.Forward(x);
        Assert.NotEqual(a.Data, b.Data);
        attn.Eval();
        Assert.Equal(attn.Forward(x).Data, attn.Forward(x).Data);
    }

    [Fact]
    public void BadMaskNamesShapes()
    {
        var attn = new MultiheadAttention(4, 2);
        var e = Assert.Throws<ShapeException>(() => attn.Forward(Tensor.Zeros(2, 3, 4), Tensor.Zeros(2, 4)));
        Assert.Contains("[2, 4]", e.Message);
        Assert.Throws<ArgumentException>(() => new MultiheadAttention(6, 4));
    }

    [Fact]
    public void SoftmaxIsStableForLargeLogits()
    {
        var y = Tensor.FromArray([1000f, 0f, 100f, 100f], 2, 2).Softmax(-1);
        Assert.Equal(new[] { 1f, 0f, 0.5f, 0.5f }, y.Data);
    }
}
