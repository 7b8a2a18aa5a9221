using Aver.Tensors.Nn;

namespace Aver.Tensors.Tests.Nn;

/// <summary>Conv and pooling modules: PyTorch parameter names and shapes, default init bounds, shape errors.</summary>
public class ConvModuleTests
{
    [Fact]
    public void Conv2dHasPyTorchParameters()
    {
        var conv = new Conv2d(8, 16, 3, stride: 2, padding: 1, groups: 2, rng: new RandomStream(1));
        var names = conv.NamedParameters().Select(kv => kv.Key).ToArray();
        Assert.Equal(new[] { "weight", "bias" }, names);
        Assert.Equal(new[] { 16, 4, 3, 3 }, conv.Weight.Shape.ToArray());
        // kaiming_uniform(a = sqrt 5): U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = 4 * 3 * 3.
        float bound = 1f / MathF.Sqrt(36);
        Assert.All(conv.Weight.Data, v => Assert.InRange(v, -bound, bound));
        Assert.True(conv.Weight.Data.Max() > 0.8f * bound, "weights should fill the range");
        Assert.All(conv.Bias!.Data, v => Assert.InRange(v, -bound, bound));
        var y = conv.Forward(Tensor.Zeros(2, 8, 9, 9));
        Assert.Equal(new[] { 2, 16, 5, 5 }, y.Shape.ToArray());
    }

    [Fact]
    public void Conv1dAndConv3dShapes()
    {
        Assert.Equal(new[] { 2, 5, 4 }, new Conv1d(3, 5, 3, stride: 2).Forward(Tensor.Zeros(2, 3, 9)).Shape.ToArray());
        var c3 = new Conv3d(3, 4, (1, 3, 3), padding: (0, 1, 1), bias: false);
        Assert.Null(c3.Bias);
        Assert.Equal(new[] { 4, 3, 1, 3, 3 }, c3.Weight.Shape.ToArray());
        Assert.Equal(new[] { 1, 4, 2, 5, 5 }, c3.Forward(Tensor.Zeros(1, 3, 2, 5, 5)).Shape.ToArray());
    }

    [Fact]
    public void PoolModulesForward()
    {
        var x = Tensor.Zeros(1, 2, 8, 8);
        Assert.Equal(new[] { 1, 2, 4, 4 }, new MaxPool2d(3, 2, 1).Forward(x).Shape.ToArray());
        Assert.Equal(new[] { 1, 2, 4, 4 }, new AvgPool2d(2).Forward(x).Shape.ToArray());
        Assert.Equal(new[] { 1, 2, 1, 1 }, new AdaptiveAvgPool2d(1).Forward(x).Shape.ToArray());
        Assert.Equal(new[] { 1, 2, 3 }, new MaxPool1d(2).Forward(Tensor.Zeros(1, 2, 7)).Shape.ToArray());
        Assert.Equal(new[] { 1, 2, 1, 2, 2 }, new AvgPool3d((2, 2, 2)).Forward(Tensor.Zeros(1, 2, 3, 4, 4)).Shape.ToArray());
        Assert.Equal(new[] { 1, 2, 2 }, new AdaptiveAvgPool1d(2).Forward(Tensor.Zeros(1, 2, 7)).Shape.ToArray());
        Assert.Equal(new[] { 1, 2, 1, 1, 1 }, new MaxPool3d(2).Forward(Tensor.Zeros(1, 2, 2, 3, 3)).Shape.ToArray());
        Assert.Equal(new[] { 1, 2, 2, 2, 2 }, new AdaptiveAvgPool3d(2).Forward(Tensor.Zeros(1, 2, 2, 3, 3)).Shape.ToArray());
    }

    [Fact]
    public void WrongChannelCountNamesOpAndShapes()
    {
        var e = Assert.Throws<ShapeException>(() => Tensor.Zeros(2, 5, 8, 8).Conv2d(Tensor.Zeros(4, 3, 3, 3)));
        Assert.Contains("Conv2d", e.Message);
        Assert.Contains("[2, 5, 8, 8]", e.Message);
        Assert.Contains("[4, 3, 3, 3]", e.Message);
        Assert.Contains("5 channels", e.Message);
    }

    [Fact]
    public void OtherShapeErrors()
    {
        Assert.Contains("Conv1d", Assert.Throws<ShapeException>(() => Tensor.Zeros(2, 3, 8, 8).Conv1d(Tensor.Zeros(4, 3, 3))).Message);
        Assert.Contains("bias", Assert.Throws<ShapeException>(() => Tensor.Zeros(1, 3, 8).Conv1d(Tensor.Zeros(4, 3, 3), Tensor.Zeros(5))).Message);
        Assert.Contains("groups", Assert.Throws<ShapeException>(() => Tensor.Zeros(1, 3, 8).Conv1d(Tensor.Zeros(4, 1, 3), groups: 3)).Message);
        Assert.Contains("smaller than the kernel", Assert.Throws<ShapeException>(() => Tensor.Zeros(1, 3, 2, 2).Conv2d(Tensor.Zeros(4, 3, 3, 3))).Message);
        Assert.Contains("stride", Assert.Throws<ShapeException>(() => Tensor.Zeros(1, 3, 5, 5).Conv2d(Tensor.Zeros(4, 3, 3, 3), stride: (1, 1, 1))).Message);
        Assert.Contains("MaxPool2d", Assert.Throws<ShapeException>(() => Tensor.Zeros(1, 3, 5).MaxPool2d(2)).Message);
        Assert.Contains("half the kernel", Assert.Throws<ShapeException>(() => Tensor.Zeros(1, 3, 5, 5).MaxPool2d(2, padding: 2)).Message);
    }
}
