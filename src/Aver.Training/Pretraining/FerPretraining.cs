using System.Globalization;
using Aver.Data.Catalogs;
using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Training.Data;
using Aver.Data.Metrics;
using Aver.Training.Tasks;
using Aver.Training.Recipes;
using Aver.Training.Training;
using Aver.Data.Pipelines;
using Aver.Models.Spec;
using Aver.Tensors.IO;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aver.Training.Pretraining;

/// <summary>
/// Pre-trains MRPN's visual extractor on FER2013 (MRPN §5.2: "the CNN in visual modality is initialized
/// from a facial image expression recognition task, the challenge FER2013"): ResNet-18 over 48x48
/// grayscale faces, 7 classes, trained with the <see cref="Trainer{TInput}"/> (resumable from the
/// run folder beside the output), then evaluated on the test images.
/// </summary>
public static class FerPretraining
{
    public static PretrainResult Run(PretrainOptions o, ITrainingProgress? progress = null, TextWriter? log = null)
    {
        log ??= TextWriter.Null;
        var catalog = DatasetReader.Open(o.DataDir, "fer2013");
        var rng = new RandomStream(o.Seed);
        var split = new RandomStream(o.EffectiveSplitSeed);
        var train = Limit(catalog.Items.Where(i => i.Field("usage") == "train").ToList(), o.LimitPerClass, split.Fork("limit-train"));
        var test = Limit(catalog.Items.Where(i => i.Field("usage") is "test" or "publictest" or "privatetest").ToList(), o.LimitPerClass, split.Fork("limit-test"));
        if (train.Count == 0 || test.Count == 0)
            throw new InvalidDataException($"{o.DataDir}: FER2013 needs both train and test images (found {train.Count} and {test.Count})");

        log.WriteLine($"decoding {train.Count} training and {test.Count} test images");
        var trainPixels = FaceImageSet.Decode(train);
        var testPixels = FaceImageSet.Decode(test);
        var norm = PixelStandardization.Measure(trainPixels.Data);
        norm.ApplyInPlace(trainPixels.Data);
        norm.ApplyInPlace(testPixels.Data);
        var trainSet = FaceImageSet.Create(trainPixels, train, catalog.Labels, Augmentation(o));
        var testSet = FaceImageSet.Create(testPixels, test, catalog.Labels, null);
        var (fit, validation) = StratifiedHoldOut(train, o.ValidationFraction, split.Fork("validation"));

        var architecture = new ResNetArchitecture(1, o.Width, o.Stem);
        var model = architecture.Build(catalog.Labels.Count, rng.Fork("init"));
        if (o.InitFrom is string init) StartFrom(model, init, o, norm);
        ITrainingTask<Tensor> task = o.MixupAlpha > 0 ? new MixupClassifierTask(model, o.MixupAlpha, o.LabelSmoothing) : new ClassifierTask(model, labelSmoothing: o.LabelSmoothing);
        using var budget = new SessionBudget(progress, o.SessionEpochs);
        var trainer = new Trainer<Tensor>(task, new TrainerOptions
        {
            Epochs = o.Epochs, BatchSize = o.BatchSize, EvalBatchSize = 256, LearningRate = o.LearningRate,
            BestBy = BestBy.ValidationAccuracy, Seed = o.Seed, Threads = o.Threads, PlateauPatience = 3, EarlyStoppingPatience = o.EarlyStoppingPatience,
            Optimizer = o.Optimizer, WeightDecay = o.EffectiveWeightDecay, Schedule = o.Schedule, WarmupEpochs = o.WarmupEpochs,
            SwaEpochs = o.SwaEpochs, SwaUpdateBatchNorm = o.SwaUpdateBatchNorm,
        }, budget);
        var runDir = o.Output + ".run";
        TrainingResult result;
        try { result = trainer.Fit(new ExampleSubset<Tensor>(trainSet, fit), new ExampleSubset<Tensor>(trainSet, validation), runDir, resume: true, budget.Token); }
        catch (OperationCanceledException) when (budget.Reached)
        {
            log.WriteLine($"stopped after {o.SessionEpochs} epochs this session (checkpoint in {runDir}); the same command continues");
            return new PretrainResult(double.NaN, double.NaN, null, null, o.Output, Paused: budget.LastEpoch);
        }

        // Ten-crop first: the plain pass below leaves the test set's batches as they were.
        var tenCrop = o.TenCrop ? TenCrop.Evaluate(model, testPixels, test.Select(i => i.Label.Index).ToArray(), catalog.Labels) : null;
        var eval = Evaluation.Run(task, testSet, testSet.AllIndices(), 256);
        var face = new FaceInput(testPixels.Dim(2), norm.Mean, norm.Std);
        var spec = new ModelSpec(ResNetArchitecture.Family, ModelSpec.ToJson(architecture),
            new LabelSpec(catalog.Labels.Name, catalog.Labels.Names.ToArray()),
            new Dictionary<string, JsonObject> { ["face"] = JsonSerializer.SerializeToNode(face, MetadataJson.Options)!.AsObject() },
            Provenance: new Provenance(Data: $"FER2013 train ({fit.Length} images, {validation.Length} held out for validation)", Command: o.Command, Created: DateTimeOffset.UtcNow),
            Extra: Invariant(new()
            {
                ["test_accuracy"] = eval.Accuracy, ["test_uar"] = eval.Confusion.UnweightedAverageRecall,
                ["test_accuracy_ten_crop"] = tenCrop?.Accuracy, ["best_epoch"] = result.BestEpoch, ["seed"] = o.Seed,
                ["split_seed"] = o.EffectiveSplitSeed, ["init_from"] = o.InitFrom,
            }));
        // The flat keys of the files written before the spec, still read by MrpnExperimentSettings and DefaultModelRecipe.
        var flat = Invariant(new()
        {
            ["architecture"] = ResNetArchitecture.Family, ["in_channels"] = 1, ["width"] = o.Width, ["classes"] = catalog.Labels.Count,
            ["label_space"] = catalog.Labels.Name, ["labels"] = string.Join(",", catalog.Labels.Names),
            ["input"] = "48x48 grayscale, pixels/255 standardised", ["pixel_mean"] = norm.Mean, ["pixel_std"] = norm.Std,
            ["trained_on"] = spec.Provenance!.Data, ["test_accuracy"] = eval.Accuracy, ["test_uar"] = eval.Confusion.UnweightedAverageRecall,
            ["seed"] = o.Seed, ["split_seed"] = o.EffectiveSplitSeed,
        });
        ModelFile.Save(o.Output, model, spec, flatMetadata: flat);
        return new PretrainResult(eval.Accuracy, eval.Confusion.UnweightedAverageRecall, eval.Confusion, result, o.Output,
            tenCrop?.Accuracy, tenCrop?.UnweightedAverageRecall);
    }

    /// <summary>
    /// Loads the weights of the network <paramref name="path"/> names into <paramref name="model"/>, refusing (naming the
    /// file) one of another architecture, hold-out or face standardisation.
    /// </summary>
    private static void StartFrom(ResNet18 model, string path, PretrainOptions o, PixelStandardization norm)
    {
        var networks = FerNetwork.LoadAll(path);
        if (networks.Count != 1)
            throw new InvalidDataException($"{path}: holds {networks.Count} networks; start from one of them ({path}#visual.0 ...)");
        var from = networks[0];
        if (from.Network.Config != model.Config)
            throw new InvalidDataException($"{path}: a {from.Source.Network}, this run trains a {new VisualSource(model.Config, null, null, null).Network}");
        string split = o.EffectiveSplitSeed.ToString(CultureInfo.InvariantCulture);
        if (from.SplitSeed != split)
            throw new InvalidDataException($"{path}: its hold-out was drawn with seed {from.SplitSeed ?? "(not recorded)"}, this run's with {split} (--split-seed): the hold-out would hold images it trained on");
        if (Math.Abs(from.PixelMean - norm.Mean) > 1e-4f || Math.Abs(from.PixelStd - norm.Std) > 1e-4f)
            throw new InvalidDataException($"{path}: standardises faces by mean {from.PixelMean} / std {from.PixelStd}, this run's images by {norm.Mean} / {norm.Std}");
        model.LoadStateDict(from.Network.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal), strict: true, source: path);
    }

    /// <summary>The training augmentation <paramref name="o"/> asks for, as a batch function; null for none.</summary>
    private static Func<Tensor, RandomStream, Tensor>? Augmentation(PretrainOptions o) => o.Augmentation switch
    {
        FaceAugmentationKind.None => null,
        FaceAugmentationKind.Recipe => (FaceAugmentation.Recipe with { ErasingProbability = o.ErasingProbability }).Apply,
        _ => FaceAugmentation.FlipShift.Apply,
    };

    /// <summary>Values as invariant strings (floats round-trip, fractions with four decimals); null values left out.</summary>
    private static Dictionary<string, string> Invariant(Dictionary<string, object?> values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
            if (value is not null)
                result[key] = value switch
                {
                    double d => d.ToString("F4", CultureInfo.InvariantCulture),
                    float f => f.ToString("R", CultureInfo.InvariantCulture),
                    IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
                    _ => value.ToString()!,
                };
        return result;
    }

    /// <summary>
    /// The FER2013 training images <see cref="Run"/> with the same options holds out for early stopping (and that a
    /// calibration may use: they were never trained on).
    /// </summary>
    public static IReadOnlyList<CatalogItem> ValidationItems(PretrainOptions o)
    {
        var catalog = DatasetReader.Open(o.DataDir, "fer2013");
        var split = new RandomStream(o.EffectiveSplitSeed);
        var train = Limit(catalog.Items.Where(i => i.Field("usage") == "train").ToList(), o.LimitPerClass, split.Fork("limit-train"));
        return StratifiedHoldOut(train, o.ValidationFraction, split.Fork("validation")).Validation.Select(i => train[i]).ToList();
    }

    private static List<CatalogItem> Limit(List<CatalogItem> items, int? perClass, RandomStream rng)
    {
        if (perClass is not int n) return items;
        var shuffled = items.ToArray();
        rng.Shuffle<CatalogItem>(shuffled);
        return shuffled.GroupBy(i => i.Label.Index).OrderBy(g => g.Key).SelectMany(g => g.Take(n)).OrderBy(i => i.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>Per class, a <paramref name="fraction"/> of the examples (at least one) is held out.</summary>
    private static (int[] Fit, int[] Validation) StratifiedHoldOut(IReadOnlyList<CatalogItem> items, double fraction, RandomStream rng)
    {
        var fit = new List<int>();
        var held = new List<int>();
        foreach (var group in Enumerable.Range(0, items.Count).GroupBy(i => items[i].Label.Index).OrderBy(g => g.Key))
        {
            var idx = group.ToArray();
            rng.Shuffle<int>(idx);
            int k = Math.Max(1, (int)Math.Round(idx.Length * fraction));
            held.AddRange(idx[..k]);
            fit.AddRange(idx[k..]);
        }
        fit.Sort(); held.Sort();
        return (fit.ToArray(), held.ToArray());
    }
}
