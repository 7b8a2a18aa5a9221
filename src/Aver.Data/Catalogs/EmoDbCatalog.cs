using System.Text.RegularExpressions;
using Aver.Data.Labels;

namespace Aver.Data.Catalogs;

/// <summary>
/// EMO-DB (Berlin): `wav/` with names like `03a01Fa.wav` — speaker (2 digits), text (a01..b10),
/// emotion letter (W anger, L boredom, E disgust, A fear, F happiness, T sadness, N neutral),
/// version letter. Sex comes from the corpus documentation's speaker table. When the root holds a
/// `wav/` folder (the download layout) only that folder is read: its siblings (`lablaut/`, `silb/`,
/// ...) are transcriptions, not clips, and would otherwise be listed as hundreds of skipped files.
/// </summary>
public static partial class EmoDbCatalog
{
    public const string DatasetName = "emo-db";

    private const string Letters = "WLEAFTN"; // order of LabelSpaces.EmoDb7

    /// <summary>The ten EMO-DB speakers and their sex (corpus documentation).</summary>
    public static readonly IReadOnlyDictionary<string, Sex> SpeakerSex = new Dictionary<string, Sex>(StringComparer.Ordinal)
    {
        ["03"] = Sex.Male, ["08"] = Sex.Female, ["09"] = Sex.Female, ["10"] = Sex.Male, ["11"] = Sex.Male,
        ["12"] = Sex.Male, ["13"] = Sex.Female, ["14"] = Sex.Female, ["15"] = Sex.Male, ["16"] = Sex.Female,
    };

    [GeneratedRegex(@"^(\d\d)([ab]\d\d)([A-Z])([a-z])\.([A-Za-z0-9]+)$")]
    internal static partial Regex NamePattern();

    private const string Expected = "EMO-DB SSTTTEV.wav (e.g. 03a01Fa.wav)";

    /// <summary>Reads every EMO-DB file under <paramref name="root"/>; other files are reported as skipped.</summary>
    public static Catalog Read(string root)
    {
        var full = FileScan.RequireDirectory(root);
        var wav = Path.Combine(full, "wav");
        var (items, skipped) = FileScan.Sort(FileScan.Files(Directory.Exists(wav) ? wav : full), Parse);
        return new Catalog(DatasetName, full, LabelSpaces.EmoDb7, items, skipped);
    }

    private static string? Parse(in ScannedFile f, out CatalogItem? item)
    {
        item = null;
        var m = NamePattern().Match(f.Name);
        if (!m.Success) return FileScan.Unrecognised(f, Expected);
        string speaker = m.Groups[1].Value, text = m.Groups[2].Value, version = m.Groups[4].Value;
        int e = Letters.IndexOf(m.Groups[3].Value[0]);
        if (e < 0) return $"emotion letter {m.Groups[3].Value} is not one of W L E A F T N";
        if (!FileScan.AudioExtensions.Contains(f.Extension)) return $"extension .{f.Extension} is not audio";
        item = new CatalogItem(f.FullPath, Modality.Audio, LabelSpaces.EmoDb7[e], speaker,
            SpeakerSex.TryGetValue(speaker, out var sex) ? sex : null,
            "emo-db:" + Path.GetFileNameWithoutExtension(f.Name),
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["text"] = text, ["version"] = version });
        return null;
    }
}
