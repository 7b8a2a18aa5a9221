using Aver.Tensors.Nn;
using Aver.Tensors.Optim;
using static Aver.Tensors.Tests.OptimTestSupport;

namespace Aver.Tensors.Tests.Optim;

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
    public void AdamStepAllocatesNoArraysOnceWarm()
    {
        var p = Tensor.Uniform(new RandomStream(3), -1, 1, 100_000).RequireGrad();
        SetGrad(p, Tensor.Uniform(new RandomStream(4), -1, 1, 100_000));
        var opt = new Adam([p], weightDecay: 0.01);
        opt.Step(); opt.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) opt.Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // Only the per-step closure and the parallel loop's bookkeeping (about 2 KB a step) may allocate;
        // one temporary array would be 400 KB a step.
        Assert.True(allocated < 64_000, $"10 Adam steps over 100k values allocated {allocated} bytes");
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void LargeParametersUpdatedInParallelBlocksMatchSmallOnes(string kind)
    {
        // 20 011 values span several blocks of the chunked, parallel update; the same values as five
        // small parameters each fit one block. Elementwise updates must agree.
        const int n = 20_011, pieces = 5;
        var values = Tensor.Uniform(new RandomStream(5), -1, 1, n);
        var big = values.Detach().RequireGrad();
        int[] cut = Enumerable.Range(0, pieces + 1).Select(k => k * n / pieces).ToArray();
        var small = Enumerable.Range(0, pieces).Select(k => Tensor.FromArray(values.Data[cut[k]..cut[k + 1]], cut[k + 1] - cut[k]).RequireGrad()).ToArray();
        Optimizer Make(IEnumerable<Tensor> ps) => kind switch
        {
            "sgd" => new Sgd(ps, 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true),
            "adam" => new Adam(ps, 0.01, weightDecay: 0.01, amsGrad: true),
            _ => new AdamW(ps, 0.01),
        };
        var optBig = Make([big]); var optSmall = Make(small);
        for (int step = 0; step < 3; step++)
        {
            var g = Tensor.Uniform(new RandomStream(100 + (ulong)step), -1, 1, n);
            SetGrad(big, g);
            for (int k = 0; k < pieces; k++) SetGrad(small[k], Tensor.FromArray(g.Data[cut[k]..cut[k + 1]], cut[k + 1] - cut[k]));
            optBig.Step(); optSmall.Step();
        }
        var joined = small.SelectMany(t => t.Data).ToArray();
        Fixture.AssertClose(joined, big.Data, $"{kind} chunked update", rtol: 1e-6f, atol: 1e-7f);
        Assert.NotEqual(values.Data, big.Data);
    }

    [Fact]
    public void TrainsAModuleThroughAutograd()
    {
        // y = 2x - 1 learnt by a Linear(1, 1) with AdamW at a constant rate, end to end through Backward.
        var net = new Linear(1, 1, rng: new RandomStream(1));
        var x = Tensor.FromArray([-1f, -0.5f, 0f, 0.5f, 1f], 5, 1);
        var y = Tensor.FromArray([-3f, -2f, -1f, 0f, 1f], 5, 1);
        var opt = new AdamW(net.Parameters(), 0.05, weightDecay: 0);
        for (int step = 0; step < 400; step++)
        {
            opt.ZeroGrad();
            var d = net.Forward(x) - y;
            (d * d).Mean().Backward();
            opt.Step();
        }
        Assert.Equal(2f, net.Weight.Item(), 2e-2f);
        Assert.Equal(-1f, net.Bias!.Item(), 2e-2f);
    }
}
