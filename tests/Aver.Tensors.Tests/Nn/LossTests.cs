using Aver.Tensors.Nn;

namespace Aver.Tensors.Tests.Nn;

using static TestData;

public class LossTests
{
    private static readonly LayersReference Ref = new("layers_losses.safetensors");
    private static readonly int[] Targets = [0, 3, 4, 1, 3, 2];

    [Theory]
    [InlineData("0.0", false, Reduction.Mean)] [InlineData("0.0", false, Reduction.Sum)] [InlineData("0.0", false, Reduction.None)]
    [InlineData("0.0", true, Reduction.Mean)] [InlineData("0.0", true, Reduction.Sum)] [InlineData("0.0", true, Reduction.None)]
    [InlineData("0.1", false, Reduction.Mean)] [InlineData("0.1", false, Reduction.Sum)] [InlineData("0.1", false, Reduction.None)]
    [InlineData("0.1", true, Reduction.Mean)] [InlineData("0.1", true, Reduction.Sum)] [InlineData("0.1", true, Reduction.None)]
    public void CrossEntropyMatchesTorch(string smoothing, bool weighted, Reduction reduction)
    {
        string key = $"ce.ls{smoothing}.{(weighted ? "w" : "nw")}.{reduction.ToString().ToLowerInvariant()}";
        var module = new CrossEntropyLoss(weighted ? Ref["weight"] : null, float.Parse(smoothing, System.Globalization.CultureInfo.InvariantCulture), reduction);
        var loss = Ref.AssertMatches("logits", key, x => module.Forward(x, Ref["targets"]));
        Assert.Equal(reduction == Reduction.None ? [6] : Array.Empty<int>(), loss.Shape.ToArray());
    }

    [Fact]
    public void CrossEntropyIgnoresIndexLikeTorch()
    {
        var x = Ref.Leaf("logits");
        Ref.AssertMatches(x, "ce.ignore", x => Losses.CrossEntropy(x, Ref["ce.ignore.targets"], Ref["weight"], 0.1f));
        for (int j = 0; j < 5; j++) Assert.Equal(0f, x.Grad![5 + j]);
    }

    [Fact]
    public void UnweightedIgnoreAveragesOverKeptSamples() =>
        Ref.AssertMatches("logits", "ce.ignore_nw", x => Losses.CrossEntropy(x, Ref["ce.ignore.targets"], labelSmoothing: 0.2f));

    [Fact]
    public void ProbabilityTargetsMatchTorch() =>
        Ref.AssertMatches("logits", "ce.soft", x => new CrossEntropyLoss(Ref["weight"], 0.1f).Forward(x, Ref["ce.soft.targets"]));

    [Fact]
    public void ProbabilityTargetsGradients()
    {
        var targets = Tensor.FromArray([0.2f, 0.8f, 0, 0, 0, 1, 0.5f, 0.25f, 0.25f], 3, 3);
        AssertGradients(x => Losses.CrossEntropyProbabilities(x[0], targets, Tensor.FromArray([1f, 2, 0.5f], 3), 0.1f, Reduction.None), Rand(1, 3, 3));
    }

    [Fact]
    public void NllMatchesTorch() =>
        Ref.AssertMatches("nll.x", "nll", x => new NLLLoss(Ref["weight"]).Forward(x, Targets));

    [Fact]
    public void BceWithLogitsMatchesTorch() =>
        Ref.AssertMatches("bce.x", "bce", x => new BCEWithLogitsLoss(Ref["bce.pos_weight"]).Forward(x, Ref["bce.t"]));

    [Fact]
    public void CrossEntropyEqualsLogSoftmaxNll()
    {
        var x = Rand(3, 4, 6);
        var a = Losses.CrossEntropy(x, [1, 0, 5, 2]).Item();
        var b = Losses.NllLoss(x.LogSoftmax(1), [1, 0, 5, 2]).Item();
        Assert.Equal(b, a, 5);
    }

    [Fact]
    public void CrossEntropyGradients()
    {
        var weight = Tensor.FromArray([0.5f, 1, 2, 1.5f, 0.2f, 1], 6);
        AssertGradients(x => Losses.CrossEntropy(x[0], [1, 0, 5, 2], weight, 0.2f), Rand(1, 4, 6));
        AssertGradients(x => Losses.CrossEntropy(x[0], [1, -100, 5, 2], labelSmoothing: 0.1f, reduction: Reduction.None), Rand(2, 4, 6));
    }
    [Fact] public void NllGradients() => AssertGradients(x => Losses.NllLoss(x[0], [1, 0, 2], reduction: Reduction.None), Rand(1, 3, 4));
    [Fact] public void BceGradients() => AssertGradients(x => Losses.BinaryCrossEntropyWithLogits(x[0], Tensor.FromArray([0f, 1, 0.3f, 1, 0, 0.5f], 2, 3), Tensor.FromArray([2f, 1, 0.5f], 3), Reduction.Sum), Rand(1, 2, 3));

    [Fact]
    public void MseGradientsAndValue()
    {
        AssertGradients(x => Losses.Mse(x[0], x[1]), Rand(1, 3, 4), Rand(2, 3, 4));
        var v = new MSELoss().Forward(Tensor.FromArray([1f, 2], 2), Tensor.FromArray([0f, 4], 2)).Item();
        Assert.Equal(2.5f, v);
    }

    [Fact]
    public void BadTargetsAreNamed()
    {
        var x = Tensor.Zeros(2, 3);
        Assert.Contains("[2, 3]", Assert.Throws<ShapeException>(() => Losses.CrossEntropy(x, [0])).Message);
        Assert.Contains("target 3", Assert.Throws<ArgumentOutOfRangeException>(() => Losses.CrossEntropy(x, [0, 3])).Message);
        Assert.Contains("class weight", Assert.Throws<ShapeException>(() => Losses.CrossEntropy(x, [0, 1], Tensor.Ones(2))).Message);
    }
}
