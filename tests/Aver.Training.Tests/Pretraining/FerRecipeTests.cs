using Aver.Training.Tests.Training;
using Aver.Features.Augmentation;
using Aver.Tensors;
using Aver.Training.Data;
using Aver.Training.Pretraining;
using Aver.Training.Training;

namespace Aver.Training.Tests.Pretraining;

/// <summary>The pieces of the FER2013 recipe (issue 16): augmentation, ten-crop, mixup, warm-up + cosine, exact resume.</summary>
public sealed class FerRecipeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "aver-fer-recipe-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static Tensor Faces(int n, ulong seed) => Tensor.Normal(new RandomStream(seed), 0, 1, n, 1, 48, 48);

    [Fact]
    public void FaceAugmentationIsDeterministicPerSeedKeepsTheShapeAndIgnoresTheThreadCount()
    {
        var x = Faces(6, 1);
        var a = FaceAugmentation.Recipe.Apply(x, new RandomStream(9));
        int saved = Engine.Threads;
        Tensor b;
        try { Engine.Threads = 1; b = FaceAugmentation.Recipe.Apply(x, new RandomStream(9)); }
        finally { Engine.Threads = saved; }
        var c = FaceAugmentation.Recipe.Apply(x, new RandomStream(10));
        Assert.Equal(x.Shape.ToArray(), a.Shape.ToArray());
        Assert.Equal(a.Data, b.Data);
        Assert.NotEqual(a.Data, c.Data);
        Assert.NotEqual(x.Data, a.Data);
        // Two batches drawn from one stream differ (the per-sample streams hang off a draw, not the seed alone).
        var stream = new RandomStream(9);
        Assert.NotEqual(FaceAugmentation.Recipe.Apply(x, stream).Data, FaceAugmentation.Recipe.Apply(x, stream).Data);
    }

    [Fact]
    public void WithoutGeometryRandomErasingChangesOneRectangleOnly()
    {
        var x = Faces(8, 2);
        var none = new FaceAugmentation(SpatialAugmentationOptions.None);
        Assert.Equal(x.Data, none.Apply(x, new RandomStream(1)).Data);

        var erased = (none with { ErasingProbability = 1 }).Apply(x, new RandomStream(1));
        for (int i = 0; i < 8; i++)
        {
            int top = 48, bottom = -1, left = 48, right = -1, changed = 0;
            for (int y = 0; y < 48; y++)
                for (int u = 0; u < 48; u++)
                    if (erased.Data[i * 2304 + y * 48 + u] != x.Data[i * 2304 + y * 48 + u])
                    {
                        changed++;
                        (top, bottom, left, right) = (Math.Min(top, y), Math.Max(bottom, y), Math.Min(left, u), Math.Max(right, u));
                    }
            int area = (bottom - top + 1) * (right - left + 1);
            Assert.True(changed > 0 && changed == area, $"image {i}: {changed} changed pixels in a {area}-pixel box");
            Assert.InRange(area, 0.02 * 2304 * 0.8, 0.4 * 2304 * 1.2);
        }
    }

    /// <summary>A width-2 ResNet-18 with the small stem: the recipe's network, cheap enough for a unit test.</summary>
    private static Aver.Tensors.Nn.Module TinyResNet() =>
        new Aver.Models.ResNet.ResNetArchitecture(1, 2, Aver.Models.ResNet.ResNetStem.Small).Build(7, new RandomStream(3));

    [Fact]
    public void TenCropInBatchesIsTheWholeSetsProbabilitiesRowByRow()
    {
        var model = TinyResNet();
        var x = Faces(5, 6);
        var views = Aver.Features.Augmentation.SpatialTransform.TenCrop(48, 48);
        var whole = TenCrop.Probabilities(model, x, views);
        var batched = TenCrop.ProbabilitiesInBatches(model, x, views, batchSize: 2); // 2 + 2 + 1: a short last batch
        Assert.Equal(new[] { 5, 7 }, batched.Shape.ToArray());
        for (int k = 0; k < whole.Data.Length; k++) Assert.Equal(whole.Data[k], batched.Data[k], 5);
    }

    [Fact]
    public void TenCropAveragesTheSoftmaxOfTheTenSingleViews()
    {
        var model = TinyResNet();
        var x = Faces(3, 4);
        var views = Aver.Features.Augmentation.SpatialTransform.TenCrop(48, 48);
        var averaged = TenCrop.Probabilities(model, x, views);

        model.Eval();
        var expected = new double[3 * 7];
        foreach (var view in views)
        {
            var p = TenCrop.Softmax(model.Forward(SpatialAugmentation.Apply(x, view)));
            for (int k = 0; k < expected.Length; k++) expected[k] += p.Data[k] / 10.0;
        }
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], averaged.Data[k], 5);
        Assert.True(model.Training is false);

        // The top-left view starts at the source's corner; the mirrored centre view is the centre view reversed.
        var corner = SpatialAugmentation.Apply(x, views[1]);
        Assert.Equal(x.Data[0], corner.Data[0], 5);
        var centre = SpatialAugmentation.Apply(x, views[0]);
        var mirrored = SpatialAugmentation.Apply(x, views[5]);
        for (int u = 0; u < 48; u++) Assert.Equal(centre.Data[20 * 48 + u], mirrored.Data[20 * 48 + 47 - u], 4);
    }

    [Fact]
    public void MixupDrawsLambdaFromBetaAndIsAPlainClassifierInEvaluation()
    {
        var rng = new RandomStream(5);
        double sum = 0, extremes = 0;
        for (int i = 0; i < 4000; i++)
        {
            double l = Aver.Features.Augmentation.Mixup.Lambda(0.2, rng);
            Assert.InRange(l, 0, 1);
            sum += l;
            if (l < 0.1 || l > 0.9) extremes++;
        }
        Assert.InRange(sum / 4000, 0.47, 0.53); // Beta(α, α) has mean 1/2
        Assert.True(extremes / 4000 > 0.6, $"Beta(0.2, 0.2) is U-shaped: {extremes / 4000:P0} beyond 0.1/0.9"); // ≈ 0.68

        var set = GeneratedTasks.BrightSquares(16, seed: 3);
        var model = GeneratedTasks.SmallCnn(1);
        var mixup = new MixupClassifierTask(model, 0.2, 0.1f);
        var plain = new Aver.Training.Tasks.ClassifierTask(model, labelSmoothing: 0.1f);
        var targets = Enumerable.Range(0, 16).Select(set.LabelIndex).ToArray();
        model.Eval();
        Assert.Equal(plain.Step(set.Inputs, targets).Loss.Item(), mixup.Step(set.Inputs, targets).Loss.Item());
        // In training, the loss follows the epoch's stream (fresh models: dropout draws from the model's own stream).
        float Train(ulong seed)
        {
            var task = new MixupClassifierTask(GeneratedTasks.SmallCnn(1), 0.2, 0.1f);
            task.Model.Train();
            task.BeginEpoch(new RandomStream(seed));
            return task.Step(set.Inputs, targets).Loss.Item();
        }
        Assert.Equal(Train(7), Train(7));
        Assert.NotEqual(Train(7), Train(8));
    }

    [Fact]
    public void WarmupCosineFollowsItsFormula()
    {
        var options = new TrainerOptions { Epochs = 10, LearningRate = 0.1, Optimizer = OptimizerKind.SgdNesterov, Schedule = ScheduleKind.Cosine, WarmupEpochs = 2 };
        var optimizer = options.CreateOptimizer([new Tensor(3)]);
        var schedule = Assert.IsType<Aver.Tensors.Optim.Schedules.WarmupCosineLR>(options.CreateSchedule(optimizer));
        Assert.IsType<Aver.Tensors.Optim.Sgd>(optimizer);
        var rates = new List<double>();
        for (int e = 0; e < 10; e++) { rates.Add(optimizer.LearningRate); schedule.Step(); }
        Assert.Equal(0.05, rates[0], 12);
        Assert.Equal(0.1, rates[1], 12);
        Assert.Equal(0.1, rates[2], 12);
        Assert.Equal(0.05, rates[6], 12); // halfway through the 8 cosine epochs
        Assert.Equal(0.1 * (1 + Math.Cos(Math.PI * 7 / 8)) / 2, rates[9], 12);
    }

    [Fact]
    public void AStoppedRecipeRunResumesToByteIdenticalWeights()
    {
        var set = new TensorExampleSet(GeneratedTasks.BrightSquares(96, seed: 4).Inputs, Enumerable.Range(0, 96).Select(i => i % 4).ToArray(),
            GeneratedTasks.Quadrants, FaceAugmentation.Recipe.Apply);
        var train = new ExampleSubset<Tensor>(set, Enumerable.Range(0, 80).ToArray());
        var val = new ExampleSubset<Tensor>(set, Enumerable.Range(80, 16).ToArray());
        var options = new TrainerOptions
        {
            Epochs = 4, BatchSize = 16, LearningRate = 0.05, Seed = 3, Threads = 1, EarlyStoppingPatience = null, BestBy = BestBy.ValidationAccuracy,
            Optimizer = OptimizerKind.SgdNesterov, WeightDecay = 5e-4, Schedule = ScheduleKind.Cosine, WarmupEpochs = 1,
        };
        var whole = new MixupClassifierTask(GeneratedTasks.SmallCnn(2), 0.2, 0.1f);
        new Trainer<Tensor>(whole, options).Fit(train, val, Path.Combine(_dir, "whole"));

        string folder = Path.Combine(_dir, "stopped");
        using var cts = new CancellationTokenSource();
        var stopped = new MixupClassifierTask(GeneratedTasks.SmallCnn(2), 0.2, 0.1f);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer<Tensor>(stopped, options, new TrainerTests.CancelAt(epoch: 3, batch: 2, cts)).Fit(train, val, folder, cancel: cts.Token));
        Assert.Equal(2, Checkpoint.Load(Checkpoint.PathIn(folder)).Epoch);

        var resumed = new MixupClassifierTask(GeneratedTasks.SmallCnn(77), 0.2, 0.1f);
        new Trainer<Tensor>(resumed, options).Fit(train, val, folder, resume: true);
        TrainerTests.AssertSameWeights(whole, resumed);
        var a = Checkpoint.Load(Checkpoint.PathIn(Path.Combine(_dir, "whole")));
        var b = Checkpoint.Load(Checkpoint.PathIn(folder));
        foreach (var (name, t) in a.Model) Assert.Equal(t.Data, b.Model[name].Data);
    }
}
