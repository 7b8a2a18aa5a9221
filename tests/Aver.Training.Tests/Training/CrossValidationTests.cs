using Aver.Tensors;
using Aver.Training.Data;
using Aver.Training.Reports;
using Aver.Training.Tasks;
using Aver.Training.Training;

namespace Aver.Training.Tests.Training;

public sealed class CrossValidationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "aver-cv-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void FoldsTrainEvaluateResumeAndFeedTheReport()
    {
        var set = GeneratedTasks.BrightSquares(240, seed: 4);
        FoldData<Tensor> Fold(string name, int offset)
        {
            var test = Enumerable.Range(offset, 40).ToArray();
            var val = Enumerable.Range((offset + 40) % 240, 40).ToArray();
            var train = Enumerable.Range(0, 240).Except(test).Except(val).ToArray();
            return new FoldData<Tensor>(name, new(set, train), new(set, val), new(set, test));
        }
        var folds = new[] { Fold("A1,2", 0), Fold("A3,4", 120) };
        var options = new TrainerOptions { Epochs = 3, BatchSize = 32, LearningRate = 3e-3, Seed = 5, Threads = 1 };
        int built = 0;
        ITrainingTask<Tensor> Create(FoldData<Tensor> f, ulong seed)
        {
            built++;
            var cnn = GeneratedTasks.SmallCnn(seed);
            // Features for t-SNE: the flattened conv maps (everything before dropout and the dense layer).
            return new ClassifierTask(cnn, features: x => { for (int i = 0; i < 9; i++) x = cnn[i].Forward(x); return x; });
        }
        var cv = new CrossValidation<Tensor>(options);
        var outcome = cv.Run("CNN", folds, Create, _dir, withFeatures: true);

        Assert.Equal(["A1,2", "A3,4"], outcome.Folds.Select(f => f.Fold));
        Assert.All(outcome.Folds, f => Assert.Equal(40, f.Confusion.Total));
        Assert.True(outcome.Accuracy.Mean > 0.8, $"mean accuracy {outcome.Accuracy.Mean}");
        Assert.Equal(3, outcome.Folds[0].History!.Count);
        Assert.Equal(40, outcome.Folds[0].Features!.GetLength(0));
        Assert.True(File.Exists(Path.Combine(_dir, "folds", "cnn", "a1-2", "best.safetensors")));
        Assert.NotEqual(CrossValidation<Tensor>.FoldSeed(5, "A1,2"), CrossValidation<Tensor>.FoldSeed(5, "A3,4"));

        // Resuming finished folds retrains nothing and gives the same numbers.
        var again = cv.Run("CNN", folds, Create, _dir, resume: true);
        Assert.Equal(outcome.Folds.Select(f => f.Accuracy), again.Folds.Select(f => f.Accuracy));
        Assert.Equal(4, built);

        var files = ReportWriter.Write(Path.Combine(_dir, "report"), new ExperimentOutcome("bright squares", GeneratedTasks.Quadrants, [outcome]),
            new Aver.Training.Embedding.TsneOptions { Iterations = 250, Seed = 1 });
        Assert.Contains("tsne/cnn-a1-2.png", files);
    }

    [Fact]
    public void An_ensemble_fold_tests_its_members_mean_probability_and_keeps_member_zero_as_the_single_run()
    {
        var set = GeneratedTasks.BrightSquares(200, seed: 6);
        var test = Enumerable.Range(0, 40).ToArray();
        var val = Enumerable.Range(40, 40).ToArray();
        var fold = new FoldData<Tensor>("A1,2", new(set, Enumerable.Range(80, 120).ToArray()), new(set, val), new(set, test));
        // Short and noisy on purpose (one epoch, a high rate): members disagree, so the mean is not any one member's answer.
        var options = new TrainerOptions { Epochs = 1, BatchSize = 16, LearningRate = 1e-2, Seed = 9, Threads = 1 };
        ITrainingTask<Tensor> Create(FoldData<Tensor> f, ulong seed) => new ClassifierTask(GeneratedTasks.SmallCnn(seed));

        var single = new CrossValidation<Tensor>(options).Run("one", [fold], Create, Path.Combine(_dir, "single"));
        var ensemble = new CrossValidation<Tensor>(options with { Ensemble = 3 }).Run("three", [fold], Create, Path.Combine(_dir, "ensemble"));
        string folder = CrossValidation<Tensor>.FoldFolder(Path.Combine(_dir, "ensemble"), "three", "A1,2");
        Assert.True(File.Exists(Path.Combine(folder, "member-1", "best.safetensors")));
        Assert.True(File.Exists(Path.Combine(folder, "member-2", "best.safetensors")));
        Assert.False(Directory.Exists(Path.Combine(folder, "member-3")));
        // Member 0 is the single run's network: the same curves.
        Assert.Equal(single.Folds[0].History!.Select(e => e.ValidationAccuracy), ensemble.Folds[0].History!.Select(e => e.ValidationAccuracy));

        // The fold's answers are the argmax of the three saved networks' mean softmax, on test and on validation.
        var members = new[] { folder, Path.Combine(folder, "member-1"), Path.Combine(folder, "member-2") }.Select(f =>
        {
            var cnn = GeneratedTasks.SmallCnn(0);
            cnn.LoadStateDict(Aver.Tensors.IO.SafeTensors.Load(Path.Combine(f, "best.safetensors")).Tensors, strict: true, source: f);
            cnn.Eval();
            return cnn;
        }).ToList();
        double Accuracy(int[] indices)
        {
            var batch = set.Batches(indices, indices.Length).Single();
            using var _ = GradMode.NoGrad();
            var mean = members.Select(m => m.Forward(batch.Input).Softmax(-1)).Aggregate((a, b) => a + b);
            var predicted = Evaluation.ArgMax(mean);
            return predicted.Zip(batch.Targets).Count(p => p.First == p.Second) / (double)indices.Length;
        }
        Assert.Equal(Accuracy(test), ensemble.Folds[0].Accuracy, 10);
        Assert.Equal(Accuracy(val), ensemble.Folds[0].ValidationAccuracy, 10);
        Assert.NotNull(ensemble.Folds[0].EnsembleValidationAccuracy);
    }

    [Fact]
    public void The_mean_of_passes_averages_probabilities_not_votes()
    {
        var labels = GeneratedTasks.Quadrants;
        EvaluationResult Pass(params float[] p) => new(labels, 0, [7], [0], [Evaluation.ArgMax(Tensor.FromArray(p, 1, 4))[0]], null, p);
        // Two passes say class 1 weakly, one says class 0 strongly: the vote would be 1, the mean probability 0.
        var mean = Evaluation.MeanOf([Pass(0.2f, 0.4f, 0.2f, 0.2f), Pass(0.2f, 0.4f, 0.2f, 0.2f), Pass(0.9f, 0.1f, 0f, 0f)]);
        Assert.Equal([0], mean.Predictions);
        Assert.Equal(0.4333333f, mean.Probabilities![0], 5);
        Assert.Throws<ArgumentException>(() => Evaluation.MeanOf([Pass(1, 0, 0, 0), new EvaluationResult(labels, 0, [8], [0], [0], null, [1, 0, 0, 0])]));
    }
}
