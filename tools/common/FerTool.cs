using System.Globalization;
using Aver.Data.Catalogs;
using Aver.Tensors;
using Aver.Training.Pretraining;

namespace Aver.Tools;

/// <summary>What the FER2013 measurement tools (tools/face-crop, tools/face-quality) share: their images, samples and arguments.</summary>
internal static class FerTool
{
    /// <summary>FER2013 images: "holdout" = the training images <c>aver pretrain</c> (seed 1) held out, which the default model never saw; "train"; "test".</summary>
    public static List<CatalogItem> Items(string fer, string split) => split switch
    {
        "holdout" => FerPretraining.ValidationItems(new PretrainOptions(fer, "unused")).ToList(),
        "train" or "test" => DatasetReader.Open(fer, "fer2013").Items.Where(i => i.Field("usage") == split).ToList(),
        _ => throw new ArgumentException($"--split {split}: expected holdout, train or test"),
    };

    /// <summary>n items drawn without replacement, each class in proportion to its share (seeded).</summary>
    public static List<CatalogItem> Sample(List<CatalogItem> items, int n, RandomStream rng)
    {
        if (n >= items.Count) return items;
        var picked = new List<CatalogItem>();
        foreach (var group in items.GroupBy(i => i.Label.Index).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            rng.Fork("class", group.Key).Shuffle<CatalogItem>(members);
            picked.AddRange(members.Take((int)Math.Round((double)n * members.Length / items.Count)));
        }
        return picked;
    }

    /// <summary>The <c>--name value</c> pairs of the command line.</summary>
    public static Dictionary<string, string> Args(string[] args)
    {
        var o = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length) throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
            o[args[i][2..]] = args[++i];
        }
        return o;
    }

    public static int Int(Dictionary<string, string> o, string name, int fallback) =>
        o.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public static float[] Floats(string list) => list.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    public static string Percent(int k, int n) => FormattableString.Invariant($"{100.0 * k / n:0.0} %");
}
