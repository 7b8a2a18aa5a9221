using Aver.Data.Labels;
using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Training.Data;
using Aver.Training.Tasks;
using Aver.Training.Training;

namespace Aver.Training.Tests.Training;

/// <summary>The plateau schedule and early stopping, driven by a scripted validation-loss curve.</summary>
public sealed class ScheduleAndStoppingTests
{
    private static readonly LabelSpace Two = new("two", ["a", "b"]);

    /// <summary>Trains a tiny linear model normally; in evaluation returns the next value of a scripted loss curve.</summary>
    private sealed class ScriptedValidation(Func<int, double> curve) : ITrainingTask<Tensor>
    {
        private int _evaluations;
        public Module Model { get; } = new Linear(2, 2, rng: new RandomStream(1));

        public StepOutput Step(Tensor input, int[] targets)
        {
            var scores = Model.Forward(input);
            if (Model.Training) return new StepOutput(Losses.CrossEntropy(scores, targets), scores);
            return new StepOutput(Tensor.Scalar((float)curve(++_evaluations)), scores);
        }
    }

    private sealed class Recorder(Module model) : ITrainingProgress
    {
        public List<EpochReport> Reports { get; } = [];
        public List<float[]> Weights { get; } = [];
        public void Epoch(EpochReport report)
        {
            Reports.Add(report);
            Weights.Add((float[])model.Parameters().First().Data.Clone());
        }
    }

    private static ExampleSubset<Tensor> Data()
    {
        var x = new Tensor([1f, 0f, 0f, 1f, 1f, 0.1f, 0.1f, 1f], 4, 2);
        return ExampleSubset<Tensor>.All(new TensorExampleSet(x, [0, 1, 0, 1], Two));
    }

    [Fact]
    public void LearningRateHalvesAfterTenFlatEpochsAtMostTwiceAndEarlyStoppingKeepsTheBestWeights()
    {
        // Improves for 5 epochs, then stays flat.
        var task = new ScriptedValidation(epoch => epoch <= 5 ? 1.0 - 0.1 * epoch : 0.5);
        var recorder = new Recorder(task.Model);
        var options = new TrainerOptions { Epochs = 60, BatchSize = 4, LearningRate = 0.01, EarlyStoppingPatience = 40, Seed = 1 };
        var result = new Trainer<Tensor>(task, options, recorder).Fit(Data(), Data());

        var lrs = result.History.Select(h => h.LearningRate).ToArray();
        // Best at 5; epochs 6..16 are 11 bad epochs (> patience 10): reduced after 16, again after 27, never a third time.
        Assert.All(lrs[..16], lr => Assert.Equal(0.01, lr, 12));
        Assert.All(lrs[16..27], lr => Assert.Equal(0.005, lr, 12));
        Assert.All(lrs[27..], lr => Assert.Equal(0.0025, lr, 12));
        Assert.Equal([16, 27], recorder.Reports.Where(r => r.LearningRateReduced).Select(r => r.Metrics.Epoch));

        // 40 epochs without improvement after epoch 5: stops at 45, keeps epoch 5's weights.
        Assert.True(result.StoppedEarly);
        Assert.Equal(45, result.History.Count);
        Assert.Equal(5, result.BestEpoch);
        Assert.Equal(recorder.Weights[4], task.Model.Parameters().First().Data);
        Assert.NotEqual(recorder.Weights[^1], task.Model.Parameters().First().Data);
        Assert.Equal(TimeSpan.Zero, recorder.Reports[^1].Eta);
    }

    [Fact]
    public void BestByAccuracyPrefersTheMostAccurateEpoch()
    {
        var stopping = new EarlyStopping(BestBy.ValidationAccuracy, patience: 2);
        double[] acc = [0.5, 0.7, 0.6, 0.7, 0.65];
        for (int e = 0; e < acc.Length && !stopping.ShouldStop; e++)
            stopping.Update(new EpochMetrics(e + 1, 1, 0.5, 1, acc[e], 1e-3, 0));
        Assert.Equal(2, stopping.BestEpoch); // a tie does not replace the best
        Assert.True(stopping.ShouldStop);
        Assert.Equal(2, stopping.EpochsWithoutImprovement);
    }

    [Fact]
    public void WithoutEarlyStoppingTheRunGoesToTheEpochLimit()
    {
        var task = new ScriptedValidation(_ => 1.0);
        var result = new Trainer<Tensor>(task, new TrainerOptions { Epochs = 12, BatchSize = 4, EarlyStoppingPatience = null })
            .Fit(Data(), Data());
        Assert.False(result.StoppedEarly);
        Assert.Equal(12, result.History.Count);
        Assert.Equal(5e-5, result.History[0].LearningRate); // MRPN §5.2 default
    }

    [Fact]
    public void AccuracyThenLossBreaksTiesByTheLowerLossAndSurvivesARestore()
    {
        // Epochs: (accuracy, loss). Epoch 3 ties epoch 2's accuracy with a lower loss and becomes best; epoch 4 ties with a higher one.
        (double Acc, double Loss)[] epochs = [(0.4, 1.5), (0.5, 1.4), (0.5, 1.2), (0.5, 1.3)];
        var plain = new EarlyStopping(BestBy.ValidationAccuracy, patience: null);
        var tie = new EarlyStopping(BestBy.ValidationAccuracyThenLoss, patience: null);
        for (int e = 0; e < epochs.Length; e++)
        {
            var m = new EpochMetrics(e + 1, 1, 0.5, epochs[e].Loss, epochs[e].Acc, 1e-3, 0);
            plain.Update(m);
            tie.Update(m);
        }
        Assert.Equal(2, plain.BestEpoch);
        Assert.Equal((3, 1.2), (tie.BestEpoch, tie.BestLoss));
        var restored = new EarlyStopping(BestBy.ValidationAccuracyThenLoss, patience: null);
        restored.Restore(0.5, 3, 1, bestLoss: 1.2);
        Assert.False(restored.Update(new EpochMetrics(5, 1, 0.5, 1.25, 0.5, 1e-3, 0)));
        Assert.True(restored.Update(new EpochMetrics(6, 1, 0.5, 1.1, 0.5, 1e-3, 0)));
    }
}
