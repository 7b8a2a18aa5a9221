using System.Globalization;
using Aver.Features.Augmentation;
using Aver.Training.Pretraining;
using Aver.Training.Recipes;

namespace Aver.FerEnsemble;

/// <summary>
/// Every subset of some `aver pretrain` FER2013 networks, averaged as the default model's visual branch averages them
/// (the mean of their class probabilities), scored on the training images their pre-training held out: the images
/// `aver build-model` calibrates on, which none of them trained on (they must share the split seed). Each network runs
/// once over the hold-out per view set; the subsets are combined from those probabilities. The test images choose
/// nothing: score the chosen subset's model with `aver score` afterwards.
///
///   dotnet tools/fer-ensemble/bin/Release/net10.0/Aver.FerEnsemble.dll ../shared/data/fer2013 [--views one,ten44,...] A.safetensors B.safetensors ...
///   (a default-model bundle brings its visual networks)
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var list = args.ToList();
        string viewSets = "one";
        int at = list.IndexOf("--views");
        if (at >= 0 && at + 1 < list.Count) { viewSets = list[at + 1]; list.RemoveRange(at, 2); }
        if (list.Count < 2 || list.Contains("--views"))
        {
            Console.Error.WriteLine("usage: Aver.FerEnsemble FER2013_DIR [--views one|flip|tenN|tenN+one,...] NETWORK.safetensors [NETWORK.safetensors ...]");
            return 2;
        }
        var networks = list.Skip(1).SelectMany(FerNetwork.LoadAll).ToList();
        foreach (var n in networks.Skip(1)) n.CheckSameInputAs(networks[0]);
        var options = new PretrainOptions(list[0], networks[0].Path) { SplitSeed = ulong.Parse(networks[0].SplitSeed ?? "1", CultureInfo.InvariantCulture) };
        var items = FerPretraining.ValidationItems(options);
        var truth = items.Select(i => i.Label.Index).ToArray();
        var input = new Aver.Data.Pipelines.FaceInput(48, networks[0].PixelMean, networks[0].PixelStd);
        var pixels = FaceImageSet.Decode(items);
        input.Pixels.ApplyInPlace(pixels.Data);
        foreach (string name in viewSets.Split(','))
        {
            var views = ViewSet(name, pixels.Dim(2), pixels.Dim(3));
            var probabilities = new List<float[]>();
            foreach (var n in networks)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                probabilities.Add(TenCrop.ProbabilitiesInBatches(n.Network, pixels, views, 256).Data);
                Console.Error.WriteLine($"{n.Path}: {items.Count} hold-out images, {views.Length} views, in {clock.Elapsed.TotalSeconds:F0} s");
            }
            Console.WriteLine($"\nviews: {name} ({views.Length})\n");
            PrintSubsets(networks.Select(n => n.Path).ToList(), probabilities, truth, networks[0].SplitSeed);
        }
        return 0;
    }

    /// <summary>
    /// A named set of test-time views: <c>one</c> (the whole face), <c>flip</c> (it and its mirror), <c>tenN</c>
    /// (ten-crop with N-px crops of the 48 px face, <see cref="SpatialTransform.TenCrop"/>), <c>tenN+one</c> (those and the
    /// whole face with its mirror).
    /// </summary>
    private static SpatialTransform[] ViewSet(string name, int height, int width)
    {
        var whole = new[] { SpatialTransform.Identity, SpatialTransform.Identity with { Flip = true } };
        if (name == "one") return [SpatialTransform.Identity];
        if (name == "flip") return whole;
        if (name.StartsWith("ten", StringComparison.Ordinal))
        {
            bool plusOne = name.EndsWith("+one", StringComparison.Ordinal);
            int crop = int.Parse(name[3..(plusOne ? name.Length - 4 : name.Length)], CultureInfo.InvariantCulture);
            var ten = SpatialTransform.TenCrop(height, width, (double)width / crop);
            return plusOne ? [.. ten, .. whole] : ten;
        }
        throw new ArgumentException($"--views: unknown view set '{name}' (one, flip, tenN, tenN+one)");
    }

    private static void PrintSubsets(List<string> paths, List<float[]> probabilities, int[] truth, string? splitSeed)
    {
        int classes = DefaultModelRecipe.Labels.Count;
        var rows = new List<(string Members, double Accuracy)>();
        for (int mask = 1; mask < 1 << paths.Count; mask++)
        {
            var members = Enumerable.Range(0, paths.Count).Where(i => (mask >> i & 1) == 1).ToList();
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
            rows.Add((string.Join(" + ", members.Select(m => paths[m])), 100.0 * right / truth.Length));
        }
        Console.WriteLine($"| networks averaged | hold-out accuracy % ({truth.Length} images, split seed {splitSeed}) |");
        Console.WriteLine("|---|---:|");
        foreach (var (members, accuracy) in rows.OrderByDescending(r => r.Accuracy))
            Console.WriteLine(FormattableString.Invariant($"| {members} | {accuracy:F2} |"));
    }
}
