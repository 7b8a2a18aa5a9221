using Aver.Tensors.Optim;
using Aver.Tensors.Optim.Schedules;
using static Aver.Tensors.Tests.OptimTestSupport;

namespace Aver.Tensors.Tests.Optim;

/// <summary>Learning-rate schedules follow PyTorch 1.13's sequences; the plateau cap and state restore work.</summary>
public class ScheduleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-sched-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>An SGD over one scalar per group with rates 0.1, 0.2, ... as in tools/reference/optim.py.</summary>
    private static Sgd Optimizer(int groups = 1) =>
        new(Enumerable.Range(0, groups).Select(i => new ParamGroup([Tensor.Zeros(1).RequireGrad()], learningRate: 0.1 * (i + 1))), 0.1);

    private static void AssertRates(string fixture, IReadOnlyList<double[]> actual)
    {
        var expected = Ref(fixture);
        var flat = actual.SelectMany(r => r.Select(v => (float)v)).ToArray();
        Fixture.AssertClose(expected.Data, flat, fixture, rtol: 1e-5f, atol: 1e-7f);
    }

    private static List<double[]> Run(LRSchedule schedule, int epochs, Action<int> step)
    {
        var rates = new List<double[]>();
        for (int e = 0; e < epochs; e++) { step(e); rates.Add(schedule.LearningRates()); }
        return rates;
    }

    [Fact]
    public void PlateauMinRelativeWithCooldownAndFloorMatchesPyTorch()
    {
        var metrics = Ref("plateau.metrics").Data;
        var s = new ReduceLROnPlateau(Optimizer(), factor: 0.5, patience: 3, cooldown: 2, minLearningRate: 0.01);
        var rates = Run(s, 40, e => s.Step(metrics[e]));
        AssertRates("plateau.min_rel", rates);
        Assert.True(rates[^1][0] < 0.1, "the fixture's metric plateaus, so the rate must have dropped");
    }

    [Fact]
    public void PlateauMaxAbsoluteMatchesPyTorch()
    {
        var acc = Ref("plateau.accuracy").Data;
        var s = new ReduceLROnPlateau(Optimizer(), mode: PlateauMode.Max, factor: 0.3, patience: 2, threshold: 0.01,
            thresholdMode: ThresholdMode.Absolute);
        AssertRates("plateau.max_abs", Run(s, 40, e => s.Step(acc[e])));
    }

    [Fact]
    public void PlateauCapStopsAfterTwoHalvings()
    {
        // MRPN: halve after epochs without validation improvement, at most twice.
        var s = new ReduceLROnPlateau(Optimizer(), factor: 0.5, patience: 2, maxReductions: 2);
        var rates = Run(s, 40, _ => s.Step(1.0));
        AssertRates("plateau.mrpn_capped", rates);
        Assert.Equal(2, s.Reductions);
        Assert.Equal(0.025, rates[^1][0], 12);
        // Epochs 1..3: first value sets best, then 3 bad epochs exceed patience 2 at epoch 4.
        Assert.Equal(0.1, rates[2][0], 12);
        Assert.Equal(0.05, rates[3][0], 12);
    }

    [Fact]
    public void PlateauWithoutCapKeepsReducing()
    {
        var s = new ReduceLROnPlateau(Optimizer(), factor: 0.5, patience: 2);
        Run(s, 40, _ => s.Step(1.0));
        Assert.True(s.Reductions > 2);
    }

    [Fact]
    public void StepLRMatchesPyTorchForTwoGroups()
    {
        var opt = Optimizer(2);
        var s = new StepLR(opt, stepSize: 3, gamma: 0.5);
        AssertRates("steplr", Run(s, 20, _ => s.Step()));
    }

    [Fact]
    public void CosineAnnealingMatchesPyTorchPastTMax()
    {
        var opt = Optimizer(2);
        var s = new CosineAnnealingLR(opt, tMax: 7, etaMin: 0.001);
        var rates = Run(s, 25, _ => s.Step());
        AssertRates("cosine", rates);
        Assert.Equal(0.001, rates[6][0], 9); // t = 7 = T_max reaches eta_min
    }

    [Fact]
    public void PlateauStateRestoresMidRun()
    {
        var metrics = Ref("plateau.metrics").Data;
        var opt = Optimizer();
        var s = new ReduceLROnPlateau(opt, factor: 0.5, patience: 3, cooldown: 2, minLearningRate: 0.01);
        var straight = Run(s, 40, e => s.Step(metrics[e]));

        var opt1 = Optimizer();
        var s1 = new ReduceLROnPlateau(opt1, factor: 0.5, patience: 3, cooldown: 2, minLearningRate: 0.01);
        for (int e = 0; e < 13; e++) s1.Step(metrics[e]);
        // Plain SGD and the schedule hold values only: the file is a safetensors header with metadata and no tensors.
        var path = Path.Combine(_dir, "plateau.safetensors");
        SavedState.Merge(opt1.StateDict().WithPrefix("optimizer."), s1.StateDict().WithPrefix("schedule.")).Save(path);
        var saved = SavedState.Load(path);
        Assert.Empty(saved.Tensors);

        var opt2 = Optimizer();
        var s2 = new ReduceLROnPlateau(opt2, factor: 0.5, patience: 3, cooldown: 2, minLearningRate: 0.01);
        opt2.LoadStateDict(saved.Under("optimizer."));
        s2.LoadStateDict(saved.Under("schedule."));
        Assert.Equal(13, s2.LastEpoch);
        for (int e = 13; e < 40; e++)
        {
            s2.Step(metrics[e]);
            Assert.Equal(straight[e][0], opt2.LearningRate);
        }
    }

    [Fact]
    public void EpochScheduleStateRestoresMidRunIncludingBaseRates()
    {
        var straightOpt = Optimizer(2);
        var straight = new CosineAnnealingLR(straightOpt, tMax: 5);
        for (int e = 0; e < 12; e++) straight.Step();

        var opt1 = Optimizer(2);
        var s1 = new CosineAnnealingLR(opt1, tMax: 5);
        for (int e = 0; e < 4; e++) s1.Step();
        var optState = opt1.StateDict(); var schedState = s1.StateDict();

        var opt2 = Optimizer(2);
        opt2.LoadStateDict(optState);
        var s2 = new CosineAnnealingLR(opt2, tMax: 5);
        s2.LoadStateDict(schedState);
        Assert.Equal([0.1, 0.2], s2.BaseLearningRates);
        for (int e = 4; e < 12; e++) s2.Step();
        Assert.Equal(straightOpt.ParamGroups.Select(g => g.LearningRate), opt2.ParamGroups.Select(g => g.LearningRate));
    }

    [Fact]
    public void InfiniteBestSurvivesTheRoundTripAndTypesAreChecked()
    {
        var s = new ReduceLROnPlateau(Optimizer());
        var state = s.StateDict();
        var back = new ReduceLROnPlateau(Optimizer());
        back.LoadStateDict(state);
        Assert.Equal(double.PositiveInfinity, back.Best);
        var e = Assert.Throws<Aver.Tensors.Nn.StateDictException>(() => new StepLR(Optimizer(), 3).LoadStateDict(state));
        Assert.Contains("ReduceLROnPlateau", e.Message);
    }
}
