using System.Globalization;
using Aver.Data.Catalogs;
using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Training.Data;
using Aver.Data.Metrics;
using Aver.Training.Tasks;
using Aver.Training.Training;

namespace Aver.Training.Pretraining;

/// <summary>Settings of <see cref="FerPretraining"/>.</summary>
/// <param name="DataDir">FER2013 in the folder layout (train|test/&lt;class&gt;/*.jpg) or as fer2013.csv.</param>
/// <param name="Output">The safetensors file to write (ResNet-18 with its fc; MRPN's visual branch loads it without fc).</param>
/// <param name="Width">ResNet-18 width (64 in the paper; 16 trains on a CPU).</param>
/// <param name="LimitPerClass">Use at most this many training and test images per class (smoke runs); null for all.</param>
/// <param name="ValidationFraction">Share of the training images held out, per class, for early stopping.</param>
public sealed record PretrainOptions(string DataDir, string Output, int Width = 16, int Epochs = 10, int BatchSize = 64,
    double LearningRate = 1e-3, int? LimitPerClass = null, double ValidationFraction = 0.1, ulong Seed = 1, int? Threads = null);

/// <summary>What pre-training measured: FER2013 test accuracy and UAR of the best-validation weights.</summary>
public sealed record PretrainResult(double TestAccuracy, double TestUar, ConfusionMatrix Confusion, TrainingResult Training, string ModelPath);

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
        var train = Limit(catalog.Items.Where(i => i.Field("usage") == "train").ToList(), o.LimitPerClass, rng.Fork("limit-train"));
        var test = Limit(catalog.Items.Where(i => i.Field("usage") is "test" or "publictest" or "privatetest").ToList(), o.LimitPerClass, rng.Fork("limit-test"));
        if (train.Count == 0 || test.Count == 0)
            throw new InvalidDataException($"{o.DataDir}: FER2013 needs both train and test images (found {train.Count} and {test.Count})");

        log.WriteLine($"decoding {train.Count} training and {test.Count} test images");
        var trainPixels = FaceImageSet.Decode(train);
        var testPixels = FaceImageSet.Decode(test);
        var norm = FaceImageSet.Measure(trainPixels);
        FaceImageSet.Standardize(trainPixels, norm);
        FaceImageSet.Standardize(testPixels, norm);
        var trainSet = FaceImageSet.Create(trainPixels, train, catalog.Labels);
        var testSet = FaceImageSet.Create(testPixels, test, catalog.Labels);
        var (fit, validation) = StratifiedHoldOut(train, o.ValidationFraction, rng.Fork("validation"));

        var config = new ResNetConfig(InChannels: 1, Width: o.Width, Classes: catalog.Labels.Count);
        var model = new ResNet18(config, rng.Fork("init"));
        var task = new ClassifierTask(model);
        var trainer = new Trainer<Tensor>(task, new TrainerOptions
        {
            Epochs = o.Epochs, BatchSize = o.BatchSize, EvalBatchSize = 256, LearningRate = o.LearningRate,
            BestBy = BestBy.ValidationAccuracy, Seed = o.Seed, Threads = o.Threads, PlateauPatience = 3, EarlyStoppingPatience = 6,
        }, progress);
        var runDir = o.Output + ".run";
        var result = trainer.Fit(new ExampleSubset<Tensor>(trainSet, fit), new ExampleSubset<Tensor>(trainSet, validation), runDir, resume: true);

        var eval = Evaluation.Run(task, testSet, testSet.AllIndices(), 256);
        var metadata = new Dictionary<string, string>
        {
            ["architecture"] = "resnet18",
            ["in_channels"] = "1",
            ["width"] = o.Width.ToString(CultureInfo.InvariantCulture),
            ["classes"] = catalog.Labels.Count.ToString(CultureInfo.InvariantCulture),
            ["label_space"] = catalog.Labels.Name,
            ["labels"] = string.Join(",", catalog.Labels.Names),
            ["input"] = "48x48 grayscale, pixels/255 standardised",
            ["pixel_mean"] = norm.Mean.ToString("R", CultureInfo.InvariantCulture),
            ["pixel_std"] = norm.Std.ToString("R", CultureInfo.InvariantCulture),
            ["trained_on"] = $"FER2013 train ({fit.Length} images, {validation.Length} held out for validation)",
            ["test_accuracy"] = eval.Accuracy.ToString("F4", CultureInfo.InvariantCulture),
            ["test_uar"] = eval.Confusion.UnweightedAverageRecall.ToString("F4", CultureInfo.InvariantCulture),
            ["seed"] = o.Seed.ToString(CultureInfo.InvariantCulture),
        };
        model.Save(o.Output, metadata);
        return new PretrainResult(eval.Accuracy, eval.Confusion.UnweightedAverageRecall, eval.Confusion, result, o.Output);
    }

    /// <summary>
    /// The FER2013 training images <see cref="Run"/> with the same options holds out for early stopping (and that a
    /// calibration may use: they were never trained on).
    /// </summary>
    public static IReadOnlyList<CatalogItem> ValidationItems(PretrainOptions o)
    {
        var catalog = DatasetReader.Open(o.DataDir, "fer2013");
        var rng = new RandomStream(o.Seed);
        var train = Limit(catalog.Items.Where(i => i.Field("usage") == "train").ToList(), o.LimitPerClass, rng.Fork("limit-train"));
        return StratifiedHoldOut(train, o.ValidationFraction, rng.Fork("validation")).Validation.Select(i => train[i]).ToList();
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
