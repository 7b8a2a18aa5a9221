using Aver.Tensors.Nn;
using Aver.Tensors.Optim;
using static Aver.Tensors.Tests.Optim.OptimTrajectoryTests;

namespace Aver.Tensors.Tests.Optim;

/// <summary>Optimiser state saved mid-run and restored gives exactly the weights of an uninterrupted run.</summary>
public class OptimStateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-optim-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Theory, MemberData(nameof(OptimTrajectoryTests.Configs), MemberType = typeof(OptimTrajectoryTests))]
    public void ResumedRunEndsWithTheSameWeightsBitForBit(string config)
    {
        var straight = InitialParameters();
        var opt = Make(config, straight);
        for (int s = 0; s < 6; s++) TakeStep(opt, straight, s);

        // Interrupted after 3 steps: save weights and optimiser state to disk, then rebuild everything fresh.
        var first = InitialParameters();
        var optFirst = Make(config, first);
        for (int s = 0; s < 3; s++) TakeStep(optFirst, first, s);
        var path = Path.Combine(_dir, config + ".safetensors");
        optFirst.StateDict().WithPrefix("optimizer.").Save(path);
        var weights = first.Select(t => t.Detach()).ToArray();

        var resumed = weights.Select(t => t.Detach().RequireGrad()).ToArray();
        var optResumed = Make(config, resumed);
        optResumed.LoadStateDict(SavedState.Load(path).Under("optimizer."));
        for (int s = 3; s < 6; s++) TakeStep(optResumed, resumed, s);

        for (int k = 0; k < straight.Length; k++) Assert.Equal(straight[k].Data, resumed[k].Data);
    }

    [Fact]
    public void WithoutTheStateTheResumedRunDiffers()
    {
        // The exact-resume test above can fail: dropping Adam's moments changes the result.
        var straight = InitialParameters();
        var opt = Make("adam", straight);
        for (int s = 0; s < 6; s++) TakeStep(opt, straight, s);
        var p = InitialParameters();
        var o = Make("adam", p);
        for (int s = 0; s < 3; s++) TakeStep(o, p, s);
        var fresh = Make("adam", p);
        for (int s = 3; s < 6; s++) TakeStep(fresh, p, s);
        Assert.NotEqual(straight[0].Data, p[0].Data);
    }

    [Fact]
    public void StateNamesItsBuffersLikePyTorch()
    {
        var p = InitialParameters();
        var adam = Make("adam_wd_amsgrad", p);
        TakeStep(adam, p, 0);
        var s = adam.StateDict();
        Assert.Equal(["state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq"],
            s.Tensors.Select(kv => kv.Key));
        Assert.Equal([3, 4], s.Tensors[0].Value.Shape.ToArray());
        Assert.Equal("1", s.Values["state.0.step"]);
        Assert.Equal("0.01", s.Values["param_groups.0.lr"]);
        Assert.Equal("Adam", s.Values["type"]);
    }

    [Fact]
    public void LoadingAMismatchedStateFailsAndNamesTheProblem()
    {
        var p = InitialParameters();
        var adam = Make("adam", p);
        TakeStep(adam, p, 0);
        var state = adam.StateDict();

        var e1 = Assert.Throws<StateDictException>(() => Make("adamw", InitialParameters()).LoadStateDict(state));
        Assert.Contains("Adam", e1.Message);
        var other = new Adam([Tensor.Zeros(3, 4).RequireGrad(), Tensor.Zeros(6).RequireGrad()]);
        var e2 = Assert.Throws<StateDictException>(() => other.LoadStateDict(state));
        Assert.Contains("state.1.exp_avg", e2.Message);
        Assert.Contains("[5]", e2.Message);
        var single = new Adam([Tensor.Zeros(3, 4).RequireGrad()]);
        var e3 = Assert.Throws<StateDictException>(() => single.LoadStateDict(state));
        Assert.Contains("parameter 1", e3.Message);
        // A failed load changes nothing.
        Assert.Empty(other.StateDict().Tensors);
    }
}
