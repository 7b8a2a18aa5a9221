using Aver.Tensors.Nn;

namespace Aver.Tensors.Tests.Nn;

using static TestData;

public class LayerNormTests
{
    private static readonly LayersReference Ref = new("layers_layernorm.safetensors");

    [Fact] public void AffineGradients() => AssertGradients(x => x[0].LayerNorm([3, 4], x[1], x[2]), Rand(1, 2, 3, 4), Rand(2, 3, 4), Rand(3, 3, 4));
    [Fact] public void PlainGradients() => NormalizationGradients.Assert(x => x[0].LayerNorm([8]), Rand(1, 3, 8));

    [Fact]
    public void AffineMatchesTorch()
    {
        var x = Ref.Leaf("affine.x"); var w = Ref.Leaf("affine.weight"); var b = Ref.Leaf("affine.bias");
        var y = x.LayerNorm([3, 4], w, b);
        Ref.AssertClose("affine.y", y);
        Ref.Backward(y, "affine.gy");
        Ref.AssertGrad("affine.dx", x);
        Ref.AssertGrad("affine.dweight", w);
        Ref.AssertGrad("affine.dbias", b);
    }

    [Fact]
    public void PlainWithEpsMatchesTorch()
    {
        var x = Ref.Leaf("plain.x");
        var y = new LayerNorm(6, eps: 1e-3f, elementwiseAffine: false).Forward(x);
        Ref.AssertClose("plain.y", y);
        Ref.Backward(y, "plain.gy");
        Ref.AssertGrad("plain.dx", x);
    }

    [Fact]
    public void ModuleHasTorchParameters()
    {
        var m = new LayerNorm([3, 4]);
        Assert.Equal(["weight", "bias"], m.StateDict().Select(kv => kv.Key).ToArray());
        Assert.All(m.Weight!.Data, v => Assert.Equal(1f, v));
        Assert.All(m.Bias!.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void WrongTrailingShapeNamesShapes()
    {
        var e = Assert.Throws<ShapeException>(() => Tensor.Zeros(2, 5).LayerNorm([4]));
        Assert.Contains("LayerNorm", e.Message);
        Assert.Contains("[2, 5]", e.Message);
        Assert.Contains("[4]", e.Message);
    }
}
