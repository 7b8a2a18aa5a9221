namespace Aver.Tensors.Tests.Kernels;

/// <summary>
/// The separable 1d/2d max pooling kernel against the general window walk (MaxPool3d with a
/// depth-2 kernel over a duplicated plane), on data full of ties: values, chosen inputs (the
/// first tap in row-major order wins) and therefore gradients must agree exactly.
/// </summary>
public class MaxPoolKernelTests
{
    // ReLU-like data on a coarse grid: many zeros (some negative) and equal positive values.
    private static Tensor Ties(ulong seed, params int[] shape)
    {
        var t = Tensor.Uniform(new RandomStream(seed), -1f, 1f, shape);
        for (int i = 0; i < t.Size; i++)
        {
            float v = MathF.Round(t.Data[i] * 2f) / 2f;
            t.Data[i] = v > 0 ? v : (i % 3 == 0 ? -0f : 0f);
        }
        return t;
    }

    public static TheoryData<int, int, int, int, int, int, int, bool> Geometries => new()
    {
        // height, width, kernel h, kernel w, stride h, stride w, padding, ceil mode
        { 56, 56, 3, 3, 2, 2, 1, false },   // ResNet's stem pool
        { 9, 19, 3, 3, 2, 2, 1, true },     // widths off the vector size, ceil mode
        { 7, 37, 2, 2, 1, 1, 0, false },
        { 8, 21, 3, 3, 1, 1, 1, false },
        { 10, 17, 2, 3, 2, 1, 1, true },
        { 7, 40, 2, 5, 3, 4, 1, true },     // stride above the kernel height: rows no window reads
    };

    [Theory, MemberData(nameof(Geometries))]
    public void MatchesTheGeneralWalkOnTies(int h, int w, int kh, int kw, int sh, int sw, int pad, bool ceil)
    {
        var x = Ties((ulong)(h * w), 2, 3, h, w).RequireGrad();
        var twice = Tensor.Stack([x.Detach(), x.Detach()], 2).RequireGrad();
        var y = x.MaxPool2d((kh, kw), (sh, sw), pad, ceilMode: ceil);
        var y3 = twice.MaxPool3d((2, kh, kw), (1, sh, sw), (0, pad, pad), ceilMode: ceil);
        Assert.Equal(y3.Shape.ToArray()[..2].Concat(y3.Shape.ToArray()[3..]), y.Shape.ToArray());
        for (int i = 0; i < y.Size; i++)
            Assert.Equal(BitConverter.SingleToInt32Bits(y3.Data[i]), BitConverter.SingleToInt32Bits(y.Data[i]));

        // Distinct upstream gradients: a window routed to another input shows in the sum.
        var gy = Tensor.Arange(y.Size).Reshape(y.Shape.ToArray());
        y.Backward(gy);
        y3.Backward(gy.Reshape(y3.Shape.ToArray()));
        var g3 = twice.GradTensor();
        var first = g3.Narrow(2, 0, 1).Reshape(x.Shape.ToArray());
        Assert.Equal(first.Data, x.GradTensor().Data);
        Assert.All(g3.Narrow(2, 1, 1).Data, v => Assert.Equal(0f, v));

        using var _ = GradMode.NoGrad();
        var inference = x.MaxPool2d((kh, kw), (sh, sw), pad, ceilMode: ceil);
        Assert.Equal(y.Data, inference.Data);
    }

    [Fact]
    public void NaNPropagatesWithAndWithoutIndices()
    {
        var x = Ties(3, 1, 2, 12, 12).RequireGrad();
        x.Data[12 * 5 + 4] = float.NaN;
        var y = x.MaxPool2d(3, 2, 1);
        // 3x3/2 with padding 1: output o covers inputs 2o-1..2o+1, so row 5 is in output rows 2 and 3, column 4 only in output column 2.
        for (int oh = 0; oh < 6; oh++)
            for (int ow = 0; ow < 6; ow++)
            {
                bool poisoned = (oh is 2 or 3) && ow == 2;
                Assert.Equal(poisoned, float.IsNaN(y[0, 0, oh, ow]));
            }
        y.Backward(Tensor.Ones(y.Shape.ToArray()));
        Assert.Equal(2f, x.GradTensor().Data[12 * 5 + 4]);
        using var _ = GradMode.NoGrad();
        var inference = x.MaxPool2d(3, 2, 1);
        Assert.Equal(y.Data, inference.Data);
    }

    [Fact]
    public void InferenceSkipsTheIndicesAndStillMatches()
    {
        var x = Tensor.Uniform(new RandomStream(5), -1f, 1f, 2, 4, 23, 29);
        Tensor inference;
        using (GradMode.NoGrad()) inference = x.MaxPool2d(3, 2, 1);
        var y = x.Detach().RequireGrad().MaxPool2d(3, 2, 1);
        Assert.Equal(y.Data, inference.Data);
        Assert.False(inference.RequiresGrad);
    }
}
