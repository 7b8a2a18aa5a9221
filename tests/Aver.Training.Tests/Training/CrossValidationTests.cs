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
}
