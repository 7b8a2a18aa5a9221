using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Training.Data;
using Aver.Training.Tasks;
using Aver.Training.Training;

namespace Aver.Training.Tests.Training;

public sealed class WeightAverageTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "aver-ema-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static TrainerOptions Options(int epochs, double? ema = 0.9, int? swa = null) => new()
    {
        Epochs = epochs, BatchSize = 32, LearningRate = 3e-3, Seed = 7, EarlyStoppingPatience = null, Threads = 1, EmaDecay = ema, SwaEpochs = swa,
    };

    /// <summary>192 generated images: the first 160 to train on, the last 32 to validate on.</summary>
    private static (TensorExampleSet Set, ExampleSubset<Tensor> Train, ExampleSubset<Tensor> Validation) Squares()
    {
        var set = GeneratedTasks.BrightSquares(192, seed: 2, augment: true);
        return (set, new ExampleSubset<Tensor>(set, Enumerable.Range(0, 160).ToArray()), new ExampleSubset<Tensor>(set, Enumerable.Range(160, 32).ToArray()));
    }

    [Fact]
    public void A_report_says_which_weights_were_kept()
    {
        var swa = Options(100, ema: null, swa: 30) with { Schedule = ScheduleKind.Cosine, WarmupEpochs = 2, BestBy = BestBy.ValidationAccuracyThenLoss };
        Assert.Equal("Training: at most 100 epochs, batch 32, AdamW, learning rate 0.003, weight decay 0.01, 2 warm-up epochs then cosine to zero; "
            + "the epoch kept by validation accuracy, ties to the lower loss; from epoch 71 the mean of the weights at every epoch's end since (SWA) is validated and kept.", swa.Describe());
        Assert.Contains("from epoch 1 the mean", (swa with { Epochs = 20 }).Describe());   // a shortened run averages every epoch
        var ema = Options(10, ema: 0.99) with { EarlyStoppingPatience = 4 };
        Assert.Equal("Training: at most 10 epochs (stopping after 4 without a better validation loss), batch 32, AdamW, learning rate 0.003, weight decay 0.01, "
            + "the rate times 0.5 after 10 epochs without a lower validation loss, at most 2 times; the epoch kept by validation loss; an exponential average of the weights (decay 0.99) is validated and kept.", ema.Describe());
    }

    [Fact]
    public void An_swa_rate_ends_the_cosine_at_the_first_averaged_epoch_and_holds_it()
    {
        var set = GeneratedTasks.BrightSquares(96, seed: 3, augment: false);
        var train = new ExampleSubset<Tensor>(set, Enumerable.Range(0, 64).ToArray());
        var val = new ExampleSubset<Tensor>(set, Enumerable.Range(64, 32).ToArray());
        var options = Options(8, ema: null, swa: 3) with { Schedule = ScheduleKind.Cosine, WarmupEpochs = 1, SwaLr = 1e-4 };
        var history = new Trainer<Tensor>(new ClassifierTask(GeneratedTasks.SmallCnn(4)), options).Fit(train, val).History;
        var rates = history.Select(h => h.LearningRate).ToArray();
        Assert.Equal(3e-3, rates[0], 12);                                      // warm-up of one epoch
        Assert.Equal(3e-3, rates[1], 12);                                      // the cosine's start
        for (int e = 2; e < 5; e++) Assert.True(rates[e] < rates[e - 1] && rates[e] > 1e-4, $"epoch {e + 1}: {rates[e]}");
        Assert.All(rates[5..], r => Assert.Equal(1e-4, r, 12));                // epochs 6-8: averaged, at the SWA rate
        Assert.Contains("cosine to 0.0001 by epoch 6, held there", options.Describe());
        Assert.Throws<ArgumentOutOfRangeException>(() => (options with { Schedule = ScheduleKind.Plateau, WarmupEpochs = 0 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (options with { SwaEpochs = null }).Validate());
    }

    [Fact]
    public void A_uniform_average_is_the_plain_mean_of_the_updates()
    {
        var layer = new Linear(2, 1, rng: new RandomStream(1));
        var w = layer.StateDict().First(kv => kv.Key == "weight").Value;
        var swa = WeightAverage.Uniform(layer, fromEpoch: 3);
        foreach (var (a, b) in new[] { (1f, -2f), (4f, 0f), (10f, 8f) }) { w.Data[0] = a; w.Data[1] = b; swa.Update(); }
        Assert.Equal(5f, swa.State()["weight"].Data[0], 5);
        Assert.Equal(2f, swa.State()["weight"].Data[1], 5);
        Assert.Equal(3, swa.Steps);
        Assert.True(swa.IsUniform);
    }

    [Fact]
    public void A_run_with_swa_validates_and_keeps_the_mean_of_the_last_epochs_weights_and_resumes_it_exactly()
    {
        var (set, train, val) = Squares();

        // Four epochs, the last two averaged.
        var whole = new ClassifierTask(GeneratedTasks.SmallCnn(11));
        var result = new Trainer<Tensor>(whole, Options(4, ema: null, swa: 2)).Fit(train, val, Path.Combine(_dir, "whole"));
        var cp = Checkpoint.Load(Checkpoint.PathIn(Path.Combine(_dir, "whole")));
        Assert.Equal("3", cp.Ema!.Values["from_epoch"]);
        Assert.Equal("2", cp.Ema.Values["steps"]);

        // Three epochs with the last one "averaged" take the same path (the average starts at epoch 3 in both), so
        // their live weights are the first run's after epoch 3: the average is their mean with the weights after epoch 4.
        string folder = Path.Combine(_dir, "split");
        var three = new ClassifierTask(GeneratedTasks.SmallCnn(11));
        new Trainer<Tensor>(three, Options(3, ema: null, swa: 1)).Fit(train, val, folder);
        var end3 = Checkpoint.Load(Checkpoint.PathIn(folder)).Model;
        foreach (var (name, t) in cp.Ema.Tensors)
        {
            var a = end3[name].Data; var b = cp.Model[name].Data;
            for (int i = 0; i < t.Size; i++) Assert.Equal((a[i] + b[i]) / 2, t.Data[i], 5);
        }

        // What was validated last, and kept, is the average, not the live weights.
        var averaged = new ClassifierTask(GeneratedTasks.SmallCnn(5));
        averaged.Model.LoadStateDict(cp.Ema.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value), strict: true, source: "swa");
        Assert.Equal(result.History[^1].ValidationLoss!.Value, Evaluation.Run(averaged, set, val.Indices, 32).Loss, 6);
        var live = new ClassifierTask(GeneratedTasks.SmallCnn(5));
        live.Model.LoadStateDict(cp.Model, strict: true, source: "live");
        Assert.NotEqual(result.History[^1].ValidationLoss!.Value, Evaluation.Run(live, set, val.Indices, 32).Loss, 6);

        // The three-epoch run resumed to four: the same average and the same kept weights, bit for bit.
        var resumed = new ClassifierTask(GeneratedTasks.SmallCnn(999));
        new Trainer<Tensor>(resumed, Options(4, ema: null, swa: 2)).Fit(train, val, folder, resume: true);
        var after = Checkpoint.Load(Checkpoint.PathIn(folder));
        foreach (var (name, t) in cp.Ema.Tensors) Assert.Equal(t.Data, after.Ema!.Tensors.Single(kv => kv.Key == name).Value.Data);
        foreach (var (name, t) in whole.Model.StateDict()) Assert.Equal(t.Data, resumed.Model.StateDict().Single(kv => kv.Key == name).Value.Data);

        // An exponential average's run does not continue it.
        var e = Assert.Throws<CheckpointException>(() => new Trainer<Tensor>(new ClassifierTask(GeneratedTasks.SmallCnn(1)), Options(5)).Fit(train, val, folder, resume: true));
        Assert.Contains("uniform weight average from epoch 3", e.Message);
    }

    [Fact]
    public void Swa_with_a_batch_norm_update_keeps_the_statistics_the_averaged_weights_give_the_training_images()
    {
        // One batch of all 160 training images, no augmentation: the statistics measured afresh are those of that batch.
        var set = GeneratedTasks.BrightSquares(192, seed: 2, augment: false);
        var train = new ExampleSubset<Tensor>(set, Enumerable.Range(0, 160).ToArray());
        var val = new ExampleSubset<Tensor>(set, Enumerable.Range(160, 32).ToArray());
        var options = Options(3, ema: null, swa: 2) with { BatchSize = 160, SwaUpdateBatchNorm = true };
        var result = new Trainer<Tensor>(new ClassifierTask(GeneratedTasks.SmallCnn(11)), options).Fit(train, val, Path.Combine(_dir, "bn"));
        var kept = Checkpoint.Load(Checkpoint.PathIn(Path.Combine(_dir, "bn"))).Ema!.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value);

        var model = GeneratedTasks.SmallCnn(5);
        model.LoadStateDict(kept, strict: true, source: "swa");
        var norms = model.NamedModules().Select(kv => kv.Value).OfType<BatchNorm>().ToList();
        foreach (var b in norms) { b.ResetRunningStats(); b.Momentum = null; }
        model.Train();
        using (GradMode.NoGrad())
            foreach (var batch in set.Batches(train.Indices, 160)) model.Forward(batch.Input);
        var measured = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var name in new[] { "1.running_mean", "1.running_var", "5.running_mean", "5.running_var" })
            for (int i = 0; i < kept[name].Size; i++) Assert.Equal(measured[name].Data[i], kept[name].Data[i], 4);

        // Averaged instead (no update), the statistics are not those; what was validated last is the updated average.
        var plain = new Trainer<Tensor>(new ClassifierTask(GeneratedTasks.SmallCnn(11)), options with { SwaUpdateBatchNorm = false }).Fit(train, val, Path.Combine(_dir, "plain"));
        var averaged = Checkpoint.Load(Checkpoint.PathIn(Path.Combine(_dir, "plain"))).Ema!.Tensors.Single(kv => kv.Key == "5.running_var").Value.Data;
        Assert.Contains(Enumerable.Range(0, averaged.Length), i => Math.Abs(averaged[i] - kept["5.running_var"].Data[i]) > 1e-3);
        var task = new ClassifierTask(GeneratedTasks.SmallCnn(5));
        task.Model.LoadStateDict(kept, strict: true, source: "swa");
        Assert.Equal(result.History[^1].ValidationLoss!.Value, Evaluation.Run(task, set, val.Indices, 32).Loss, 6);
        Assert.NotEqual(result.History[^1].ValidationLoss!.Value, plain.History[^1].ValidationLoss!.Value, 6);
        Assert.Contains("batch-norm statistics measured afresh", options.Describe());
        Assert.Throws<ArgumentException>(() => (options with { SwaEpochs = null }).Validate());
    }

    [Fact]
    public void The_average_follows_d_a_plus_one_minus_d_w_with_the_decay_warmed_up()
    {
        var layer = new Linear(2, 1, rng: new RandomStream(1));
        var w = layer.StateDict().First(kv => kv.Key == "weight").Value;
        w.Data[0] = 1; w.Data[1] = 2;
        var ema = new WeightAverage(layer, 0.5);
        w.Data[0] = 3; w.Data[1] = 6;
        ema.Update();                       // step 0: d = min(0.5, 1/10) = 0.1
        var a = ema.State()["weight"].Data;
        Assert.Equal(0.1f * 1 + 0.9f * 3, a[0], 5);
        Assert.Equal(0.1f * 2 + 0.9f * 6, a[1], 5);
        for (int i = 0; i < 60; i++) ema.Update();   // then d = 0.5: the average converges to fixed weights
        Assert.Equal(3, ema.State()["weight"].Data[0], 4);
        // The live weights are untouched by swapping the average in and out.
        float during = ema.WithAveraged(() => w.Data[0]);
        Assert.Equal(ema.State()["weight"].Data[0], during);
        Assert.Equal(3, w.Data[0]);
    }

    [Fact]
    public void A_run_with_an_average_validates_and_keeps_the_average_and_resumes_it_exactly()
    {
        var (set, train, val) = Squares();

        var whole = new ClassifierTask(GeneratedTasks.SmallCnn(11));
        var result = new Trainer<Tensor>(whole, Options(3)).Fit(train, val, Path.Combine(_dir, "whole"));
        var cp = Checkpoint.Load(Checkpoint.PathIn(Path.Combine(_dir, "whole")));
        Assert.NotNull(cp.Ema);

        // The last epoch's validation loss is that of the averaged weights, not of the live ones.
        var averaged = new ClassifierTask(GeneratedTasks.SmallCnn(5));
        averaged.Model.LoadStateDict(cp.Ema!.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value), strict: true, source: "ema");
        Assert.Equal(result.History[^1].ValidationLoss!.Value, Evaluation.Run(averaged, set, val.Indices, 32).Loss, 6);
        var live = new ClassifierTask(GeneratedTasks.SmallCnn(5));
        live.Model.LoadStateDict(cp.Model, strict: true, source: "live");
        Assert.NotEqual(result.History[^1].ValidationLoss!.Value, Evaluation.Run(live, set, val.Indices, 32).Loss, 6);

        // Two epochs, then a fresh process resumes the third: the same average and the same kept weights, bit for bit.
        string folder = Path.Combine(_dir, "split");
        new Trainer<Tensor>(new ClassifierTask(GeneratedTasks.SmallCnn(11)), Options(2)).Fit(train, val, folder);
        var resumed = new ClassifierTask(GeneratedTasks.SmallCnn(999));
        new Trainer<Tensor>(resumed, Options(3)).Fit(train, val, folder, resume: true);
        var after = Checkpoint.Load(Checkpoint.PathIn(folder));
        foreach (var (name, t) in cp.Ema.Tensors) Assert.Equal(t.Data, after.Ema!.Tensors.Single(kv => kv.Key == name).Value.Data);
        foreach (var (name, t) in whole.Model.StateDict()) Assert.Equal(t.Data, resumed.Model.StateDict().Single(kv => kv.Key == name).Value.Data);

        // A run without an average (or with another decay) does not continue this checkpoint.
        var e = Assert.Throws<CheckpointException>(() => new Trainer<Tensor>(new ClassifierTask(GeneratedTasks.SmallCnn(1)), Options(4, ema: null)).Fit(train, val, folder, resume: true));
        Assert.Contains("holds a weight average", e.Message);
        e = Assert.Throws<CheckpointException>(() => new Trainer<Tensor>(new ClassifierTask(GeneratedTasks.SmallCnn(1)), Options(4, ema: 0.99)).Fit(train, val, folder, resume: true));
        Assert.Contains("decay 0.9", e.Message);
    }
}
