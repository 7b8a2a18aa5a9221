using Aver.Data.Catalogs;
using Aver.Data.Labels;

namespace Aver.Data.Tests;

/// <summary>In-memory catalogs for protocol tests (no files needed).</summary>
internal static class Synthetic
{
    /// <summary>RAVDESS-like: for each actor, per emotion 2 takes, each as `03-` audio and (for the first take) a `01-` twin.</summary>
    public static Catalog Ravdess(int actors)
    {
        var items = new List<CatalogItem>();
        for (int a = 1; a <= actors; a++)
            for (int e = 1; e <= 8; e++)
                for (int r = 1; r <= 2; r++)
                {
                    var suffix = $"01-{e:00}-01-01-{r:00}-{a:00}";
                    foreach (var m in r == 1 ? new[] { "03", "01" } : ["03"])
                        items.Add(new CatalogItem($"/r/Actor_{a:00}/{m}-{suffix}.{(m == "03" ? "wav" : "mp4")}",
                            m == "03" ? Modality.Audio : Modality.AudioVideo, LabelSpaces.Ravdess8[e - 1], a.ToString("00"),
                            a % 2 == 1 ? Sex.Male : Sex.Female, "ravdess:" + suffix, new Dictionary<string, string>()));
                }
        return new Catalog("ravdess", "/r", LabelSpaces.Ravdess8, items, []);
    }

    /// <summary>Items for the given speakers, PerSpeaker each, labels cycling through basic6.</summary>
    public static Catalog Speakers(IEnumerable<(string Speaker, Sex? Sex, int PerSpeaker)> speakers)
    {
        var items = new List<CatalogItem>();
        foreach (var (s, sex, n) in speakers)
            for (int k = 0; k < n; k++)
                items.Add(new CatalogItem($"/m/{s}/{k:000}.wav", Modality.Audio, LabelSpaces.Basic6[k % 6], s, sex, $"rec:{s}:{k}", new Dictionary<string, string>()));
        return new Catalog("manifest", "/m", LabelSpaces.Basic6, items, []);
    }

    /// <summary>A CREMA-D folder of 91 actors (1001-1091), 48 male and 43 female as in the corpus, with a VideoDemographics.csv.</summary>
    public static (TempCorpus Corpus, Dictionary<string, Sex> Sex) CremaDFolder(int filesPerActor = 3)
    {
        var c = new TempCorpus();
        var sexes = new Dictionary<string, Sex>();
        var rng = new Random(5);
        var order = Enumerable.Range(1001, 91).OrderBy(_ => rng.Next()).ToArray();
        for (int k = 0; k < order.Length; k++) sexes[order[k].ToString()] = k < 48 ? Sex.Male : Sex.Female;
        var csv = new System.Text.StringBuilder("ActorID,Age,Sex,Race,Ethnicity\n");
        string[] emotions = ["ANG", "DIS", "FEA", "HAP", "NEU", "SAD"];
        foreach (var (actor, sex) in sexes.OrderBy(p => p.Key))
        {
            csv.Append($"{actor},30,{sex},Caucasian,Not Hispanic\n");
            for (int f = 0; f < filesPerActor; f++) c.File($"AudioWAV/{actor}_DFA_{emotions[f % 6]}_XX.wav");
        }
        c.Text("VideoDemographics.csv", csv.ToString());
        return (c, sexes);
    }
}
