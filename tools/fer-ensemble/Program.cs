using System.Globalization;
using Aver.Training.Pretraining;
using Aver.Training.Recipes;

namespace Aver.FerEnsemble;

/// <summary>
/// Every subset of some `aver pretrain` FER2013 networks, averaged as the default model's visual branch averages them
/// (the mean of their class probabilities), scored on the training images their pre-training held out: the images
/// `aver build-model` calibrates on, which none of them trained on (they must share the split seed). Each network runs
/// once over the hold-out; the subsets are combined from those probabilities. Single view, as the calibration is.
/// The test images choose nothing: score the chosen subset's model with `aver score` afterwards.
///
///   dotnet tools/fer-ensemble/bin/Release/net10.0/Aver.FerEnsemble.dll ../shared/data/fer2013 A.safetensors B.safetensors ... (a default-model bundle brings its visual networks)
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: Aver.FerEnsemble FER2013_DIR NETWORK.safetensors [NETWORK.safetensors ...]");
            return 2;
        }
        var networks = args.Skip(1).SelectMany(FerNetwork.LoadAll).ToList();
        foreach (var n in networks.Skip(1)) n.CheckSameInputAs(networks[0]);
        var options = new PretrainOptions(args[0], networks[0].Path) { SplitSeed = ulong.Parse(networks[0].SplitSeed ?? "1", CultureInfo.InvariantCulture) };
        var items = FerPretraining.ValidationItems(options);
        var truth = items.Select(i => i.Label.Index).ToArray();
        var input = new Aver.Data.Pipelines.FaceInput(48, networks[0].PixelMean, networks[0].PixelStd);
        var probabilities = new List<float[]>();
        foreach (var n in networks)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var logits = DefaultModelRecipe.HoldOutLogits(n.Network, input, items);
            probabilities.Add(Softmax(logits, DefaultModelRecipe.Labels.Count));
            Console.Error.WriteLine($"{n.Path}: {items.Count} hold-out images in {clock.Elapsed.TotalSeconds:F0} s");
        }
        int classes = DefaultModelRecipe.Labels.Count;
        var rows = new List<(string Members, double Accuracy)>();
        for (int mask = 1; mask < 1 << networks.Count; mask++)
        {
            var members = Enumerable.Range(0, networks.Count).Where(i => (mask >> i & 1) == 1).ToList();
            int right = 0;
            for (int e = 0; e < truth.Length; e++)
            {
                int best = 0;
                double bestP = double.MinValue;
                for (int c = 0; c < classes; c++)
                {
                    double p = members.Sum(m => probabilities[m][e * classes + c]);
                    if (p > bestP) (bestP, best) = (p, c);
                }
                right += best == truth[e] ? 1 : 0;
            }
            rows.Add((string.Join(" + ", members.Select(m => networks[m].Path)), 100.0 * right / truth.Length));
        }
        Console.WriteLine($"| networks averaged | hold-out accuracy % ({truth.Length} images, split seed {networks[0].SplitSeed}) |");
        Console.WriteLine("|---|---:|");
        foreach (var (members, accuracy) in rows.OrderByDescending(r => r.Accuracy))
            Console.WriteLine(FormattableString.Invariant($"| {members} | {accuracy:F1} |"));
        return 0;
    }

    private static float[] Softmax(float[] logits, int classes)
    {
        var p = new float[logits.Length];
        for (int e = 0; e < logits.Length / classes; e++)
            Aver.Models.Calibration.TemperatureScaling.Softmax(logits.AsSpan(e * classes, classes), 1f, p.AsSpan(e * classes, classes));
        return p;
    }
}
