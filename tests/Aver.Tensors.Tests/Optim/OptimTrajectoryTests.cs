using Aver.Tensors.Optim;
using static Aver.Tensors.Tests.OptimTestSupport;

namespace Aver.Tensors.Tests.Optim;

/// <summary>SGD, Adam and AdamW follow PyTorch 1.13's parameter trajectories step by step.</summary>
public class OptimTrajectoryTests
{
    private const int Steps = 6;
    private static readonly string[] Names = ["p0", "p1"];

    public static TheoryData<string> Configs => new()
    {
        "sgd_plain", "sgd_momentum", "sgd_nesterov_wd", "adam", "adam_wd_amsgrad", "adamw", "adamw_amsgrad", "sgd_groups",
    };

    internal static Tensor[] InitialParameters() => Names.Select(n => Ref($"init.{n}").Detach().RequireGrad()).ToArray();

    internal static Optimizer Make(string config, Tensor[] p) => config switch
    {
        "sgd_plain" => new Sgd(p, 0.1),
        "sgd_momentum" => new Sgd(p, 0.1, momentum: 0.9, dampening: 0.1),
        "sgd_nesterov_wd" => new Sgd(p, 0.05, momentum: 0.9, weightDecay: 0.01, nesterov: true),
        "adam" => new Adam(p, 0.01),
        "adam_wd_amsgrad" => new Adam(p, 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.1, amsGrad: true),
        "adamw" => new AdamW(p, 0.01),
        "adamw_amsgrad" => new AdamW(p, 0.02, weightDecay: 0.05, amsGrad: true),
        "sgd_groups" => new Sgd([new ParamGroup([p[0]]), new ParamGroup([p[1]], learningRate: 0.01, weightDecay: 0.1)], 0.1, momentum: 0.9),
        _ => throw new ArgumentException(config),
    };

    /// <summary>Feeds the fixture's gradient of step <paramref name="step"/> and steps.</summary>
    internal static void TakeStep(Optimizer opt, Tensor[] p, int step)
    {
        opt.ZeroGrad();
        for (int k = 0; k < p.Length; k++) SetGrad(p[k], Ref($"grad.{step}.{Names[k]}"));
        opt.Step();
    }

    [Theory, MemberData(nameof(Configs))]
    public void MatchesPyTorchAfterEveryStep(string config)
    {
        var p = InitialParameters();
        var opt = Make(config, p);
        for (int s = 0; s < Steps; s++)
        {
            TakeStep(opt, p, s);
            for (int k = 0; k < p.Length; k++)
                Fixture.AssertClose(Ref($"{config}.{s}.{Names[k]}"), p[k], $"{config} step {s} {Names[k]}", rtol: 1e-5f, atol: 1e-5f);
        }
    }

    [Fact]
    public void TrajectoriesDifferBetweenConfigs()
    {
        // Guards the fixture itself: if every config produced the same numbers the comparisons above would prove little.
        var a = Ref("sgd_momentum.5.p0").Data; var b = Ref("sgd_nesterov_wd.5.p0").Data;
        var c = Ref("adam.5.p0").Data; var d = Ref("adamw.5.p0").Data;
        Assert.NotEqual(a, b);
        Assert.NotEqual(c, d);
        Assert.NotEqual(Ref("init.p0").Data, c);
    }

    [Fact]
    public void AdamWDefaultsToPyTorchWeightDecay()
    {
        var opt = new AdamW([Tensor.Zeros(2).RequireGrad()]);
        Assert.Equal(0.01, opt.ParamGroups[0].WeightDecay);
        Assert.Equal(1e-3, opt.LearningRate);
        Assert.Equal(0, new Adam([Tensor.Zeros(2).RequireGrad()]).ParamGroups[0].WeightDecay);
    }
}
