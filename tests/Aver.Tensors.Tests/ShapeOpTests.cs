namespace Aver.Tensors.Tests;

using static TestData;

public class ShapeOpTests
{
    private static Tensor Seq(params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Size; i++) t.Data[i] = i;
        return t;
    }

    [Fact]
    public void ConcatJoinsAlongMiddleAxis()
    {
        var c = Tensor.Concat([Seq(2, 1, 2), Seq(2, 2, 2).Add(100f)], axis: 1);
        Assert.Equal([2, 3, 2], c.Shape.ToArray());
        Assert.Equal([0f, 1, 100, 101, 102, 103, 2, 3, 104, 105, 106, 107], c.Data);
    }

    [Fact] public void ConcatGradients() => AssertGradients(x => Tensor.Concat(x, 1), Rand(1, 2, 3, 2), Rand(2, 2, 1, 2), Rand(3, 2, 2, 2));
    [Fact] public void StackGradients() => AssertGradients(x => Tensor.Stack(x, -1), Rand(1, 2, 3), Rand(2, 2, 3));

    [Fact]
    public void StackAddsAxis()
    {
        var s = Tensor.Stack([Seq(2, 3), Seq(2, 3)], axis: 1);
        Assert.Equal([2, 2, 3], s.Shape.ToArray());
        Assert.Equal(4f, s[1, 1, 1]);
    }

    [Fact]
    public void ConcatMismatchNamesOpAndShapes()
    {
        var e = Assert.Throws<ShapeException>(() => Tensor.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(3, 3)], 1));
        Assert.Contains("Concat", e.Message);
        Assert.Contains("[2, 3], [3, 3]", e.Message);
    }

    [Fact]
    public void SplitAndChunkFollowTorch()
    {
        var x = Seq(7, 2);
        var parts = x.Split([3, 4]);
        Assert.Equal(3, parts[0].Dim(0));
        Assert.Equal(6f, parts[1][0, 0]);
        var chunks = x.Chunk(3); // torch.chunk(7, 3) -> 3, 3, 1
        Assert.Equal([3, 3, 1], chunks.Select(c => c.Dim(0)).ToArray());
        Assert.Equal(3, Seq(6).Chunk(4).Length); // torch: sizes 2, 2, 2
        Assert.Throws<ShapeException>(() => x.Split([3, 3]));
    }

    [Fact]
    public void SplitGradientsAddUp()
    {
        AssertGradients(x =>
        {
            var p = x[0].Split([1, 2], axis: 1);
            return p[0].Mul(p[1].Narrow(1, 1, 1)).Add(p[1].Narrow(1, 0, 1));
        }, Rand(1, 2, 3, 2));
    }

    [Fact]
    public void SliceBoundsFollowPython()
    {
        var x = Seq(5);
        Assert.Equal([3f, 4f], x.Slice(0, -2, 10).Data);
        Assert.Equal(0, x.Slice(0, 4, 2).Size);
        var e = Assert.Throws<ShapeException>(() => x.Narrow(0, 3, 3));
        Assert.Contains("Narrow", e.Message);
    }

    [Fact] public void NarrowGradients() => AssertGradients(x => x[0].Narrow(2, 1, 2), Rand(1, 2, 3, 4));

    [Fact]
    public void IndexSelectPicksAndRepeats()
    {
        var x = Seq(3, 2);
        var y = x.IndexSelect(0, [2, 0, 2]);
        Assert.Equal([4f, 5, 0, 1, 4, 5], y.Data);
        Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(0, [3]));
    }

    [Fact] public void IndexSelectGradients() => AssertGradients(x => x[0].IndexSelect(1, [2, 0, 2, 1]), Rand(1, 2, 3, 2));

    [Fact]
    public void GatherFollowsTorch()
    {
        // torch.gather(torch.tensor([[1,2],[3,4]]), 1, torch.tensor([[0,0],[1,0]])) = [[1,1],[4,3]]
        var x = Tensor.FromArray([1f, 2, 3, 4], 2, 2);
        var y = x.Gather(1, Tensor.FromIndices([0, 0, 1, 0], 2, 2));
        Assert.Equal([1f, 1, 4, 3], y.Data);
        // axis 0 with a smaller index along the other axis
        var z = Seq(3, 4).Gather(0, Tensor.FromIndices([2, 1, 0], 1, 3));
        Assert.Equal([1, 3], z.Shape.ToArray());
        Assert.Equal([8f, 5, 2], z.Data);
        Assert.Throws<ArgumentException>(() => x.Gather(1, Tensor.FromArray([0.5f, 0, 0, 0], 2, 2)));
    }

    [Fact]
    public void GatherGradients()
    {
        var idx = Tensor.FromIndices([0, 2, 2, 1, 0, 0, 1, 1, 2, 2, 0, 1], 2, 3, 2);
        AssertGradients(x => x[0].Gather(1, idx), Rand(1, 2, 3, 3));
    }

    [Fact]
    public void SqueezeUnsqueeze()
    {
        var x = Seq(2, 3);
        Assert.Equal([2, 1, 3], x.Unsqueeze(1).Shape.ToArray());
        Assert.Equal([2, 3, 1], x.Unsqueeze(-1).Shape.ToArray());
        Assert.Equal([2, 3], x.Unsqueeze(0).Squeeze(0).Shape.ToArray());
        Assert.Equal([3], Seq(1, 3, 1).Squeeze().Shape.ToArray());
        Assert.Throws<ShapeException>(() => x.Squeeze(0));
    }

    [Fact]
    public void ExpandRepeatsUnitAxes()
    {
        var y = Tensor.FromArray([1f, 2], 2, 1).Expand(2, 2, -1, 3);
        Assert.Equal([2, 2, 2, 3], y.Shape.ToArray());
        Assert.Equal(2f, y[1, 0, 1, 2]);
        Assert.Throws<ShapeException>(() => Seq(2, 3).Expand(2, 4));
    }

    [Fact] public void ExpandGradients() => AssertGradients(x => x[0].Expand(3, 2, 4), Rand(1, 2, 1));

    [Fact]
    public void PadUsesTorchOrder()
    {
        var y = Seq(1, 2, 2).Pad([1, 0, 0, 1], value: -1f); // last axis: 1 before; second-last: 1 after
        Assert.Equal([1, 3, 3], y.Shape.ToArray());
        Assert.Equal([-1f, 0, 1, -1, 2, 3, -1, -1, -1], y.Data);
    }

    [Fact] public void PadGradients() => AssertGradients(x => x[0].Pad([2, 1, 1, 1]), Rand(1, 2, 2, 3));

    [Fact]
    public void MaxAlongAxisGivesValuesAndIndices()
    {
        var x = Tensor.FromArray([1f, 5, 3, 7, 2, 7], 2, 3);
        var (v, i) = x.Max(1);
        Assert.Equal([5f, 7], v.Data);
        Assert.Equal([1f, 0], i.Data); // first on ties
        Assert.Equal([1f, 0, 1], x.Argmax(0).Data);
        Assert.Equal([0f, 1], x.Argmin(1).Data);
        Assert.Equal(7f, x.Max().Item());
        Assert.Equal(1f, x.Min().Item());
        Assert.Equal([2, 1], x.Max(1, keepDim: true).Values.Shape.ToArray());
    }

    [Fact] public void MaxAxisGradients() => AssertGradients(x => x[0].Max(1).Values, Rand(1, 2, 4, 3));
    [Fact] public void MinAxisGradients() => AssertGradients(x => x[0].Min(-1).Values, Rand(1, 2, 4, 3));
    [Fact] public void MaxAllGradients() => AssertGradients(x => x[0].Max(), Rand(1, 3, 4));

    [Fact]
    public void MaxAllSharesTies()
    {
        var x = Tensor.FromArray([2f, 1, 2], 3).RequireGrad();
        x.Max().Backward();
        Assert.Equal([0.5f, 0, 0.5f], x.Grad!);
    }
}

public class GatherReferenceTests
{
    [Fact]
    public void MatchesTorch()
    {
        var r = new LayersReference("layers_gather.safetensors");
        var x = r.Leaf("x");
        var y = x.Gather(1, r["index"]);
        r.AssertClose("y", y, 0, 0);
        r.Backward(y, "gy");
        r.AssertGrad("dx", x);
    }
}
