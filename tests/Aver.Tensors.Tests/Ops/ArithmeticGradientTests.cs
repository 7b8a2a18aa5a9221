namespace Aver.Tensors.Tests.Ops;

using static TestData;

public class ArithmeticGradientTests
{
    [Fact] public void AddBroadcastsBothWays() => AssertGradients(x => x[0] + x[1], Rand(1, 3, 1, 4), Rand(2, 5, 1));
    [Fact] public void SubBroadcasts() => AssertGradients(x => x[0] - x[1], Rand(1, 2, 3), Rand(2, 3));
    [Fact] public void MulBroadcasts() => AssertGradients(x => x[0] * x[1], Rand(1, 2, 3, 4), Rand(2, 3, 1));
    [Fact] public void DivBroadcasts() => AssertGradients(x => x[0] / (x[1].Mul(x[1]) + 0.5f), Rand(1, 2, 3), Rand(2, 1, 3));
    [Fact] public void ScalarOps() => AssertGradients(x => (x[0] * 3f + 1f - x[0] / 2f).Pow(2f), Rand(1, 7));
    [Fact] public void Maximum() => AssertGradients(x => x[0].Maximum(x[1]), Rand(1, 4, 5), Rand(2, 5));
    [Fact] public void ExpLogSqrt() => AssertGradients(x => (x[0].Exp() + 1f).Log() + (x[0].Mul(x[0]) + 1f).Sqrt(), Rand(1, 3, 4));
    // Kinked functions are checked away from the kink: inputs are pushed at least 0.05 from zero.
    [Fact] public void ReluSigmoidTanhAbs() => AssertGradients(x => x[0].Relu() + x[0].Sigmoid() + x[0].Tanh() + x[0].Abs(), AwayFromZero(Rand(1, 50)));

    private static Tensor AwayFromZero(Tensor t)
    {
        for (int i = 0; i < t.Size; i++) t.Data[i] += t.Data[i] >= 0 ? 0.05f : -0.05f;
        return t;
    }
    [Fact] public void SumAndMeanOverAxes() => AssertGradients(x => x[0].Sum(1).Sum(1, keepDim: true).Mul(x[0].Mean(0, keepDim: true).Sum(2)), Rand(1, 3, 4, 2));
    [Fact] public void SumAll() => AssertGradients(x => x[0].Sum() * x[0].Mean(), Rand(1, 3, 4));
    [Fact] public void PermuteTransposeReshape() => AssertGradients(x => x[0].Permute(2, 0, 1).Reshape(4, -1).Transpose(0, 1), Rand(1, 2, 3, 4));
    [Fact] public void Softmax() => AssertGradients(x => x[0].Softmax(1), Rand(1, 2, 5, 3));
    [Fact] public void LogSoftmax() => AssertGradients(x => x[0].LogSoftmax(-1), Rand(1, 4, 6));

    [Fact]
    public void ValueUsedTwiceReceivesBothContributions()
    {
        var x = Tensor.Scalar(3f).RequireGrad();
        var y = x * x + x; // dy/dx = 2x + 1 = 7
        y.Backward();
        Assert.Equal(7f, x.Grad![0], 5);
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardCalls()
    {
        var x = Tensor.Scalar(2f).RequireGrad();
        (x * 3f).Backward();
        (x * 4f).Backward();
        Assert.Equal(7f, x.Grad![0], 5);
    }

    [Fact]
    public void NoGradRecordsNothing()
    {
        var x = Rand(1, 3);
        using (GradMode.NoGrad())
        {
            var y = x * 2f;
            Assert.False(y.RequiresGrad);
        }
        Assert.True((x * 2f).RequiresGrad);
    }

    [Fact]
    public void FrozenInputReceivesNoGradient()
    {
        var w = Rand(1, 3).RequireGrad(false);
        var x = Rand(2, 3);
        (w * x).Sum().Backward();
        Assert.Null(w.Grad);
        Assert.NotNull(x.Grad);
    }

    [Fact]
    public void DeepChainDoesNotOverflowTheStack()
    {
        var x = Tensor.Scalar(1f).RequireGrad();
        var y = x;
        for (int i = 0; i < 100_000; i++) y = y + 0f;
        y.Backward();
        Assert.Equal(1f, x.Grad![0]);
    }

    [Fact]
    public void ShapeMismatchNamesOpAndShapes()
    {
        var e = Assert.Throws<ShapeException>(() => Tensor.Zeros(2, 3) + Tensor.Zeros(4));
        Assert.Contains("Add", e.Message);
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[4]", e.Message);
    }
}
