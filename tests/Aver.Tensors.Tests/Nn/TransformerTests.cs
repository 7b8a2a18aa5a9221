using Aver.Tensors.Nn;
using Aver.Testing;

namespace Aver.Tensors.Tests.Nn;

using static TestData;

/// <summary>TransformerEncoderLayer and TransformerEncoder against torch and finite differences.</summary>
public class TransformerTests
{
    [Theory]
    [InlineData("encoder_layer_relu", "relu", false)]
    [InlineData("encoder_layer_gelu_prenorm", "gelu", true)]
    public void LayerMatchesTorch(string name, string activation, bool normFirst)
    {
        var f = new SequenceFixture(name);
        var x = f.Leaf("x");
        var layer = f.Load(new TransformerEncoderLayer(x.Dim(2), 2, 16, 0.1f, activation, normFirst: normFirst));
        var y = layer.Forward(x, f["mask"]);
        Fixture.AssertClose(f["output"], y, "output");
        f.Loss((y, "output")).Backward();
        Fixture.AssertClose(f["grad.x"], x.GradTensor(), "grad of x");
        f.AssertParameterGradients(layer);
    }

    [Fact]
    public void StackMatchesTorch()
    {
        var f = new SequenceFixture("encoder_2layers");
        var x = f.Leaf("x");
        int d = x.Dim(2);
        var encoder = f.Load(new TransformerEncoder(2, _ => new TransformerEncoderLayer(d, 2, 16, 0.1f), new LayerNorm(d)));
        var y = encoder.Forward(x, f["mask"]);
        Fixture.AssertClose(f["output"], y, "output");
        f.Loss((y, "output")).Backward();
        Fixture.AssertClose(f["grad.x"], x.GradTensor(), "grad of x");
        f.AssertParameterGradients(encoder);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LayerGradients(bool normFirst)
    {
        var layer = new TransformerEncoderLayer(8, 2, 8, activation: "gelu", normFirst: normFirst, rng: new RandomStream(9));
        layer.Eval();
        var mask = MultiheadAttention.PaddingMask([3, 2], 3);
        SequenceGradientCheck.Assert(v => layer.Forward(v[0], mask), maxAbs: 1e-3, maxRel: 0.1, [Rand(1, 2, 3, 8), .. layer.Parameters()]);
    }

    [Fact]
    public void DropoutActsOnlyInTraining()
    {
        var layer = new TransformerEncoderLayer(8, 2, 16, dropout: 0.3f, rng: new RandomStream(10));
        var x = Tensor.Uniform(new RandomStream(11), -1, 1, 2, 5, 8);
        Assert.NotEqual(layer.Forward(x).Data, layer.Forward(x).Data);
        layer.Eval();
        Assert.Equal(layer.Forward(x).Data, layer.Forward(x).Data);
    }

    [Fact]
    public void UnknownActivationIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new TransformerEncoderLayer(8, 2, activation: "swish"));
        Assert.Contains("swish", e.Message);
    }
}
