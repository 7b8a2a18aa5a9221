using Aver.Tensors.Optim;
using static Aver.Tensors.Tests.OptimTestSupport;

namespace Aver.Tensors.Tests;

/// <summary>What the optimiser base does beyond the update rule: skipping, groups, learning rate, validation.</summary>
public class OptimBehaviourTests
{
    [Fact]
    public void FrozenParametersAndParametersWithoutGradientAreLeftAlone()
    {
        var trained = Tensor.Full(1f, 3).RequireGrad();
        var frozen = Tensor.Full(1f, 3).RequireGrad();
        var unused = Tensor.Full(1f, 3).RequireGrad();
        var opt = new Adam([trained, frozen, unused], 0.1);
        SetGrad(trained, Tensor.Ones(3));
        SetGrad(frozen, Tensor.Ones(3));
        frozen.RequiresGrad = false;
        opt.Step();
        Assert.All(trained.Data, v => Assert.Equal(0.9f, v, 1e-6f));
        Assert.All(frozen.Data, v => Assert.Equal(1f, v));
        Assert.All(unused.Data, v => Assert.Equal(1f, v));
        // Skipped parameters get no state: their step count stays 0, so their first real step is a first step.
        var state = opt.StateDict();
        Assert.Equal("1", state.Values["state.0.step"]);
        Assert.False(state.Values.ContainsKey("state.1.step"));
        Assert.DoesNotContain(state.Tensors, kv => kv.Key.StartsWith("state.2.", StringComparison.Ordinal));
    }

    [Fact]
    public void ZeroGradDropsEveryGradient()
    {
        var a = Tensor.Ones(2).RequireGrad(); var b = Tensor.Ones(2).RequireGrad();
        SetGrad(a, Tensor.Ones(2)); SetGrad(b, Tensor.Ones(2));
        var opt = new Sgd([a, b], 0.1);
        opt.ZeroGrad();
        Assert.Null(a.Grad);
        Assert.Null(b.Grad);
        opt.Step(); // nothing to do, nothing changes
        Assert.Equal([1f, 1f], a.Data);
    }

    [Fact]
    public void LearningRateSetsEveryGroupAndGroupsKeepTheirOwnDefaults()
    {
        var a = Tensor.Ones(2).RequireGrad(); var b = Tensor.Ones(2).RequireGrad();
        var opt = new Sgd([new ParamGroup([a]), new ParamGroup([b], learningRate: 0.5, weightDecay: 0.2)], 0.1, weightDecay: 0.01);
        Assert.Equal(0.1, opt.LearningRate);
        Assert.Equal(0.01, opt.ParamGroups[0].WeightDecay);
        Assert.Equal(0.5, opt.ParamGroups[1].LearningRate);
        Assert.Equal(0.2, opt.ParamGroups[1].WeightDecay);
        opt.LearningRate = 0.3;
        Assert.Equal(0.3, opt.ParamGroups[0].LearningRate);
        Assert.Equal(0.3, opt.ParamGroups[1].LearningRate);
        SetGrad(a, Tensor.Ones(2));
        opt.Step();
        Assert.Equal(1f - 0.3f * (1f + 0.01f), a.Data[0], 1e-6f);
    }

    [Fact]
    public void BadArgumentsAreRejectedWithTheirValues()
    {
        var p = Tensor.Ones(2).RequireGrad();
        Assert.Contains("-0.1", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], -0.1)).Message);
        Assert.Contains("Nesterov", Assert.Throws<ArgumentException>(() => new Sgd([p], 0.1, nesterov: true)).Message);
        Assert.Contains("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], beta1: 1.0)).Message);
        Assert.Contains("more than one place", Assert.Throws<ArgumentException>(() => new Sgd([new ParamGroup([p]), new ParamGroup([p])], 0.1)).Message);
        Assert.Throws<ArgumentException>(() => new Sgd(Array.Empty<Tensor>(), 0.1));
        var opt = new Sgd([p], 0.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => opt.LearningRate = double.NaN);
    }

    [Fact]
    public void StepDoesNotChangeTheGradient()
    {
        // PyTorch adds weight decay into a copy; the gradient a caller may still read stays as Backward left it.
        var p = Tensor.Full(2f, 4).RequireGrad();
        SetGrad(p, Tensor.Full(0.5f, 4));
        new Sgd([p], 0.1, momentum: 0.9, weightDecay: 0.1, nesterov: true).Step();
        new Adam([p], weightDecay: 0.1).Step();
        Assert.All(p.Grad!, g => Assert.Equal(0.5f, g));
    }

    [Fact]
    public void AdamStepAllocatesNothingPerStepOnceWarm()
    {
        var p = Tensor.Uniform(new RandomStream(3), -1, 1, 100_000).RequireGrad();
        SetGrad(p, Tensor.Uniform(new RandomStream(4), -1, 1, 100_000));
        var opt = new Adam([p], weightDecay: 0.01);
        opt.Step(); opt.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) opt.Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 10_000, $"10 Adam steps over 100k values allocated {allocated} bytes");
    }
}
