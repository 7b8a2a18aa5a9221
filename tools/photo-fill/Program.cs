using System.Globalization;
using Aver.Inference;
using Aver.Inference.Branches;
using Aver.Inference.Fusion;
using Aver.Media;
using Aver.Tensors;
using static Aver.Tools.FerTool;

namespace Aver.PhotoFill;

/// <summary>
/// Chooses <see cref="FaceBranch.TightCropFill"/>, the share of a photo a detected face must fill for the photo to be
/// classified whole rather than cropped around the face, on FER2013 images the model never trained on (the hold-out).
/// Each image is classified both ways as `aver score` classifies photos (ten-crop); the report gives the accuracy
/// of every threshold, from the same two answers per image. See README.md.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var o = Args(args);
        string fer = o.GetValueOrDefault("fer", "../shared/data/fer2013");
        string split = o.GetValueOrDefault("split", "holdout");
        Engine.Threads = Int(o, "threads", 1);
        var thresholds = Floats(o.GetValueOrDefault("fills", "0.5,0.6,0.7,0.8,0.9,1.0,1.1,1.2"));
        string modelPath = o.GetValueOrDefault("model", ModelLoader.FindDefault());
        var model = ModelLoader.Load(modelPath) as DecisionFusionModel ?? throw new InvalidDataException($"{modelPath}: not a decision-fusion bundle");
        var branch = model.Visual ?? throw new InvalidDataException($"{modelPath}: no visual branch");
        var items = Items(fer, split);
        if (o.TryGetValue("n", out _)) items = Sample(items, Int(o, "n", items.Count), new RandomStream(1).Fork("sample"));

        int n = items.Count;
        var fill = new float[n];
        var wholeRight = new bool[n];
        var cropRight = new bool[n];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < n; i++)
        {
            var photo = Photo.Load(items[i].Path);
            int truth = branch.Labels[items[i].Label.Name].Index;
            var face = branch.BestFace(photo);
            fill[i] = face is null ? float.PositiveInfinity : FaceBranch.Fill(face, photo);
            wholeRight[i] = ArgMax(branch.TenCrop(branch.PhotoCrop(photo, null))) == truth;
            cropRight[i] = face is null ? wholeRight[i] : ArgMax(branch.TenCrop(branch.PhotoCrop(photo, face))) == truth;
            if ((i + 1) % 500 == 0) Console.Error.WriteLine($"{i + 1}/{n} images, {clock.Elapsed.TotalSeconds:F0} s");
        }

        int detected = fill.Count(float.IsFinite);
        var sorted = fill.Where(float.IsFinite).Order().ToArray();
        string Quantile(double q) => sorted.Length == 0 ? "-" : sorted[(int)(q * (sorted.Length - 1))].ToString("0.00", CultureInfo.InvariantCulture);
        Console.WriteLine($"# Photo fill threshold: {n} FER2013 {split} images, model {modelPath}");
        Console.WriteLine();
        Console.WriteLine($"A face detected in {detected} ({Percent(detected, n)}); its box's longer side over the photo's shorter side: " +
                          $"quartiles {Quantile(0.25)} / {Quantile(0.5)} / {Quantile(0.75)}, 5-95 % {Quantile(0.05)}-{Quantile(0.95)}.");
        Console.WriteLine($"Every image whole: {Percent(wholeRight.Count(r => r), n)}; every detected face cropped: {Percent(cropRight.Count(r => r), n)}.");
        Console.WriteLine();
        Console.WriteLine("| whole when the face fills at least | images whole | accuracy (ten-crop) | paired difference from 0.7, points |");
        Console.WriteLine("|---:|---:|---:|---:|");
        bool Right(int i, float t) => fill[i] >= t ? wholeRight[i] : cropRight[i];
        foreach (float t in thresholds)
        {
            int whole = 0, right = 0, diff = 0;
            for (int i = 0; i < n; i++)
            {
                whole += fill[i] >= t ? 1 : 0;
                right += Right(i, t) ? 1 : 0;
                diff += (Right(i, t) ? 1 : 0) - (Right(i, FaceBranch.TightCropFill) ? 1 : 0);
            }
            Console.WriteLine(FormattableString.Invariant($"| {t:0.00} | {whole} | {Percent(right, n)} | {100.0 * diff / n:+0.00;-0.00;0} |"));
        }
        return 0;
    }

    private static int ArgMax(float[] p)
    {
        int best = 0;
        for (int k = 1; k < p.Length; k++) if (p[k] > p[best]) best = k;
        return best;
    }
}
