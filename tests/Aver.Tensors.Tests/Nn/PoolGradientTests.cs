namespace Aver.Tensors.Tests.Nn;

using static TestData;

/// <summary>Finite-difference checks of pooling gradients. Inputs are spaced apart so no max is within eps of a tie.</summary>
public class PoolGradientTests
{
    // Distinct values at least 0.05 apart: finite differences of max are exact away from ties.
    private static Tensor Spread(ulong seed, params int[] shape)
    {
        var t = new Tensor(shape);
        var perm = new RandomStream(seed).Permutation(t.Size);
        for (int i = 0; i < t.Size; i++) t.Data[i] = perm[i] * 0.05f - t.Size * 0.025f;
        return t.RequireGrad();
    }

    [Fact] public void MaxPool1d() => AssertGradients(x => x[0].MaxPool1d(3, 2, 1), Spread(1, 2, 3, 9));
    [Fact] public void MaxPool2d() => AssertGradients(x => x[0].MaxPool2d(3, 2, 1), Spread(1, 2, 2, 7, 6));
    [Fact] public void MaxPool2dDilatedCeil() => AssertGradients(x => x[0].MaxPool2d((2, 3), (2, 1), 1, dilation: 2, ceilMode: true), Spread(1, 1, 2, 8, 7));
    [Fact] public void MaxPool3d() => AssertGradients(x => x[0].MaxPool3d(2), Spread(1, 1, 2, 4, 4, 5));

    [Fact] public void AvgPool1d() => AssertGradients(x => x[0].AvgPool1d(3, 2, 1), Rand(1, 2, 3, 9));
    [Fact] public void AvgPool2d() => AssertGradients(x => x[0].AvgPool2d(3, 2, 1, ceilMode: true), Rand(1, 2, 2, 7, 6));
    [Fact] public void AvgPool2dExcludePad() => AssertGradients(x => x[0].AvgPool2d((3, 2), 1, 1, countIncludePad: false), Rand(1, 2, 2, 5, 6));
    [Fact] public void AvgPool3d() => AssertGradients(x => x[0].AvgPool3d(2, 1), Rand(1, 1, 2, 3, 4, 5));

    [Fact] public void AdaptiveAvgPool1d() => AssertGradients(x => x[0].AdaptiveAvgPool1d(4), Rand(1, 2, 3, 7));
    [Fact] public void AdaptiveAvgPool2d() => AssertGradients(x => x[0].AdaptiveAvgPool2d((3, 2)), Rand(1, 2, 2, 7, 5));
    [Fact] public void AdaptiveAvgPool3d() => AssertGradients(x => x[0].AdaptiveAvgPool3d((2, 3, 2)), Rand(1, 1, 2, 5, 4, 3));

    [Fact]
    public void GlobalAveragePoolIsTheMean()
    {
        var x = Rand(1, 2, 3, 4, 5);
        var y = x.AdaptiveAvgPool2d(1);
        Assert.Equal(new[] { 2, 3, 1, 1 }, y.Shape.ToArray());
        var m = x.Mean(3).Mean(2);
        Fixture.AssertClose(m.Data, y.Data, "global average");
    }

    [Fact]
    public void GlobalAveragePoolOverManyPlanesSpreadsTheGradient()
    {
        // Enough planes for the global path to split them into several chunks.
        var x = Rand(2, 8, 64, 6, 50);
        var y = x.AdaptiveAvgPool2d(1);
        Fixture.AssertClose(x.Mean(3).Mean(2).Data, y.Data, "global average");
        var gy = Tensor.Arange(y.Size).Reshape(8, 64, 1, 1);
        y.Backward(gy);
        var g = x.GradTensor();
        for (int plane = 0; plane < 8 * 64; plane += 37)
            for (int i = 0; i < 300; i += 61)
                Assert.Equal(plane / 300f, g.Data[plane * 300 + i], 5);
    }

    [Fact]
    public void AnEmptyBatchPoolsToAnEmptyBatch()
    {
        var x = Tensor.Zeros(0, 3, 6, 6);
        Assert.Equal(new[] { 0, 3, 1, 1 }, x.AdaptiveAvgPool2d(1).Shape.ToArray());
        Assert.Equal(new[] { 0, 3, 3, 3 }, x.MaxPool2d(3, 2, 1).Shape.ToArray());
    }

    [Fact]
    public void MaxPoolStrideDefaultsToKernel()
    {
        var y = Rand(1, 1, 1, 8, 6).MaxPool2d(2);
        Assert.Equal(new[] { 1, 1, 4, 3 }, y.Shape.ToArray());
    }

    [Fact]
    public void MaxPool2dMatchesTheGeneralWalkAndPropagatesNaN()
    {
        // MaxPool2d runs the planar kernel; MaxPool3d with a depth-2 kernel over a duplicated
        // plane runs the general walk: both must pick the same values and the same inputs.
        var x = Rand(5, 2, 3, 9, 10);
        x.Data[17] = float.NaN;
        var y = x.MaxPool2d(3, 2, 1);
        var twice = Tensor.Stack([x, x], 2);
        var y3 = twice.MaxPool3d((2, 3, 3), (1, 2, 2), (0, 1, 1));
        Assert.Equal(y.Shape.ToArray(), new[] { 2, 3, 5, 5 });
        // The NaN at row 1, column 7 of the first plane lies in the windows of outputs (0|1, 3|4).
        int[] poisoned = [3, 4, 8, 9];
        for (int i = 0; i < y.Size; i++)
        {
            if (poisoned.Contains(i)) { Assert.True(float.IsNaN(y.Data[i]) && float.IsNaN(y3.Data[i]), $"output {i} should be NaN"); continue; }
            Assert.Equal(y3.Data[i], y.Data[i]);
        }
    }
}
