using System.Diagnostics;
using Aver.Tensors;
using Aver.Training.Data;
using Aver.Training.Tasks;
using Aver.Training.Training;

namespace Aver.Training.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "aver-trainer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static TrainerOptions Options(int epochs) => new()
    {
        Epochs = epochs, BatchSize = 32, LearningRate = 3e-3, Seed = 7, EarlyStoppingPatience = null, Threads = 1,
    };

    [Fact]
    public void SmallCnnLearnsBrightSquarePositionsInSeconds()
    {
        var set = GeneratedTasks.BrightSquares(448, seed: 1);
        var train = new ExampleSubset<Tensor>(set, Enumerable.Range(0, 320).ToArray());
        var val = new ExampleSubset<Tensor>(set, Enumerable.Range(320, 128).ToArray());
        var task = new ClassifierTask(GeneratedTasks.SmallCnn(3));
        var log = new StringWriter();
        var clock = Stopwatch.StartNew();
        var result = new Trainer<Tensor>(task, Options(4) with { Threads = null }, new PlainTextProgress(log)).Fit(train, val);
        clock.Stop();

        var final = Evaluation.Run(task, set, val.Indices, 64);
        Assert.True(final.Accuracy >= 0.95, $"validation accuracy {final.Accuracy:P1} after {result.History.Count} epochs\n{log}");
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss, log.ToString());
        // Generous bound: the machine is shared; alone it takes about 2 s.
        Assert.True(clock.Elapsed.TotalSeconds < 30, $"took {clock.Elapsed.TotalSeconds:F1}s\n{log}");
        Assert.Contains("epoch   1/4", log.ToString());
        Assert.Contains("ETA", log.ToString());
    }

    [Fact]
    public void KilledAndResumedRunEndsWithBitIdenticalWeights()
    {
        var set = GeneratedTasks.BrightSquares(192, seed: 2, augment: true);
        var train = new ExampleSubset<Tensor>(set, Enumerable.Range(0, 160).ToArray());
        var val = new ExampleSubset<Tensor>(set, Enumerable.Range(160, 32).ToArray());
        var options = Options(5);

        var whole = new ClassifierTask(GeneratedTasks.SmallCnn(11));
        var wholeResult = new Trainer<Tensor>(whole, options).Fit(train, val, Path.Combine(_dir, "whole"));

        // Kill during epoch 3: its checkpoint never gets written, the folder holds epoch 2.
        string folder = Path.Combine(_dir, "killed");
        using var cts = new CancellationTokenSource();
        var killer = new CancelAt(epoch: 3, batch: 2, cts);
        var killed = new ClassifierTask(GeneratedTasks.SmallCnn(11));
        Assert.ThrowsAny<OperationCanceledException>(() => new Trainer<Tensor>(killed, options, killer).Fit(train, val, folder, cancel: cts.Token));
        Assert.Equal(2, Checkpoint.Load(Checkpoint.PathIn(folder)).Epoch);

        // A fresh process: a model built from another seed, then resumed from the checkpoint.
        var resumed = new ClassifierTask(GeneratedTasks.SmallCnn(999));
        var starts = new RecordStart();
        var resumedResult = new Trainer<Tensor>(resumed, options, starts).Fit(train, val, folder, resume: true);

        Assert.Equal(3, starts.FirstEpoch);
        Assert.Equal(wholeResult.BestEpoch, resumedResult.BestEpoch);
        Assert.Equal(wholeResult.History.Select(h => h.ValidationLoss), resumedResult.History.Select(h => h.ValidationLoss));
        AssertSameWeights(whole, resumed);
        // The last-epoch weights in both checkpoints agree as well, not only the best ones.
        var a = Checkpoint.Load(Checkpoint.PathIn(Path.Combine(_dir, "whole")));
        var b = Checkpoint.Load(Checkpoint.PathIn(folder));
        foreach (var (name, t) in a.Model) Assert.Equal(t.Data, b.Model[name].Data);
        Assert.Equal(5, b.Epoch);
        Assert.False(b.StoppedEarly);
    }

    [Fact]
    public void ResumingWithAHigherEpochLimitContinuesTheRun()
    {
        var set = GeneratedTasks.BrightSquares(64, seed: 2);
        var train = ExampleSubset<Tensor>.All(set);
        string folder = Path.Combine(_dir, "extend");
        var task = new ClassifierTask(GeneratedTasks.SmallCnn(1));
        new Trainer<Tensor>(task, Options(2)).Fit(train, null, folder);
        var same = new Trainer<Tensor>(task, Options(2)).Fit(train, null, folder, resume: true);
        Assert.Equal(2, same.History.Count);
        var longer = new Trainer<Tensor>(task, Options(3)).Fit(train, null, folder, resume: true);
        Assert.Equal(3, longer.History.Count);
        // Every epoch, resumed ones included, beside the checkpoint as CSV and JSON lines (no validation: empty / null).
        var csv = File.ReadAllLines(Path.Combine(folder, "history.csv"));
        Assert.Equal("epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate,seconds", csv[0]);
        Assert.Equal(["1", "2", "3"], csv.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Equal(longer.History[2].TrainLoss, double.Parse(csv[3].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture));
        var jsonl = File.ReadAllLines(Path.Combine(folder, "history.jsonl"));
        Assert.Equal(3, jsonl.Length);
        using var last = System.Text.Json.JsonDocument.Parse(jsonl[2]);
        Assert.Equal(3, last.RootElement.GetProperty("epoch").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, last.RootElement.GetProperty("validation_loss").ValueKind);

        var straight = new ClassifierTask(GeneratedTasks.SmallCnn(1));
        new Trainer<Tensor>(straight, Options(3)).Fit(train);
        AssertSameWeights(straight, task);
    }

    [Fact]
    public void DifferentSeedGivesDifferentWeights()
    {
        var set = GeneratedTasks.BrightSquares(64, seed: 2);
        var train = ExampleSubset<Tensor>.All(set);
        var a = new ClassifierTask(GeneratedTasks.SmallCnn(11));
        var b = new ClassifierTask(GeneratedTasks.SmallCnn(11));
        new Trainer<Tensor>(a, Options(1)).Fit(train);
        new Trainer<Tensor>(b, Options(1) with { Seed = 8 }).Fit(train);
        Assert.NotEqual(a.Model.Parameters().First().Data, b.Model.Parameters().First().Data);
    }

    [Fact]
    public void ResumingWithAnotherSeedFailsNamingTheCheckpoint()
    {
        var set = GeneratedTasks.BrightSquares(32, seed: 2);
        var train = ExampleSubset<Tensor>.All(set);
        string folder = Path.Combine(_dir, "seed");
        new Trainer<Tensor>(new ClassifierTask(GeneratedTasks.SmallCnn(1)), Options(1)).Fit(train, null, folder);
        var e = Assert.Throws<CheckpointException>(() =>
            new Trainer<Tensor>(new ClassifierTask(GeneratedTasks.SmallCnn(1)), Options(2) with { Seed = 99 }).Fit(train, null, folder, resume: true));
        Assert.Contains(Checkpoint.FileName, e.Message);
        Assert.Contains("seed 7", e.Message);
    }

    [Fact]
    public void ResumingWithAnotherThreadCountWarns()
    {
        var set = GeneratedTasks.BrightSquares(32, seed: 2);
        var train = ExampleSubset<Tensor>.All(set);
        string folder = Path.Combine(_dir, "threads");
        new Trainer<Tensor>(new ClassifierTask(GeneratedTasks.SmallCnn(1)), Options(1)).Fit(train, null, folder);
        var log = new StringWriter();
        new Trainer<Tensor>(new ClassifierTask(GeneratedTasks.SmallCnn(1)), Options(2) with { Threads = 2 }, new PlainTextProgress(log))
            .Fit(train, null, folder, resume: true);
        Assert.Contains("warning: ", log.ToString());
        Assert.Contains("1 threads, this run has 2", log.ToString());
        Assert.Contains("resuming at epoch 2", log.ToString());
    }

    internal static void AssertSameWeights(ITrainingTask<Tensor> a, ITrainingTask<Tensor> b)
    {
        var sb = b.Model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var (name, t) in a.Model.StateDict())
            Assert.True(t.Data.AsSpan().SequenceEqual(sb[name].Data), $"{name} differs");
    }

    internal sealed class CancelAt(int epoch, int batch, CancellationTokenSource cts) : ITrainingProgress
    {
        public void Batch(int e, int b, int batches, double runningLoss)
        {
            if (e == epoch && b == batch) cts.Cancel();
        }
    }

    private sealed class RecordStart : ITrainingProgress
    {
        public int FirstEpoch { get; private set; }
        public void Started(int firstEpoch, int epochs, int batchesPerEpoch) => FirstEpoch = firstEpoch;
    }
}
