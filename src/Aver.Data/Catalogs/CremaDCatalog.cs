using System.Text.RegularExpressions;
using Aver.Data.Io;
using Aver.Data.Labels;

namespace Aver.Data.Catalogs;

/// <summary>
/// CREMA-D as downloaded: `AudioWAV/`, `AudioMP3/`, `VideoFlash/` side by side (or all files flat),
/// names `ActorID_Sentence_Emotion_Level` (actors 1001-1091, emotions ANG DIS FEA HAP NEU SAD,
/// levels LO MD HI XX). Sex and age come from `VideoDemographics.csv` when present anywhere under
/// the root; without it, sex is unknown. The wav, mp3 and flv of one clip share a recording id,
/// and each audio item points at the clip's flv.
/// </summary>
public static partial class CremaDCatalog
{
    public const string DatasetName = "crema-d";
    public const string DemographicsFile = "VideoDemographics.csv";

    /// <summary>The 12 sentences (Cao et al. 2014).</summary>
    public static readonly IReadOnlySet<string> Sentences = new HashSet<string>(StringComparer.Ordinal)
        { "IEO", "TIE", "IOM", "IWW", "TAI", "MTI", "IWL", "ITH", "DFA", "ITS", "TSI", "WSI" };

    private static readonly string[] EmotionCodes = ["ANG", "DIS", "FEA", "HAP", "NEU", "SAD"]; // order of LabelSpaces.CremaD6
    private static readonly Dictionary<string, string> Levels = new(StringComparer.Ordinal)
        { ["LO"] = "low", ["MD"] = "medium", ["HI"] = "high", ["XX"] = "unspecified" };

    [GeneratedRegex(@"^(\d{4})_([A-Z]{3})_([A-Z]{3})_([A-Z]{1,2})\.([A-Za-z0-9]+)$")]
    internal static partial Regex NamePattern();

    private const string Expected = "CREMA-D ActorID_Sentence_Emotion_Level.ext";

    /// <summary>Reads every CREMA-D file under <paramref name="root"/>; other files are reported as skipped.</summary>
    public static Catalog Read(string root)
    {
        var full = FileScan.RequireDirectory(root);
        var files = FileScan.Files(full);
        var demographicsFile = files.FirstOrDefault(f => f.Name.Equals(DemographicsFile, StringComparison.OrdinalIgnoreCase));
        var demographics = demographicsFile.FullPath is null ? null : CremaDDemographics.Read(demographicsFile.FullPath);
        var media = files.Where(f => !f.Name.Equals(DemographicsFile, StringComparison.OrdinalIgnoreCase) && !IsKnownMetadata(f));
        var (items, skipped) = FileScan.Sort(media, (in ScannedFile f, out CatalogItem? item) => Parse(f, demographics, out item));
        return new Catalog(DatasetName, full, LabelSpaces.CremaD6, VideoPairing.Pair(items), skipped);
    }

    // The repository also ships these tables and the raters' responses; they are not clips.
    private static bool IsKnownMetadata(in ScannedFile f) =>
        f.Name is "SentenceFilenames.csv" or "finishedEmoResponses.csv" or "finishedResponses.csv" or "finishedResponsesWithRepeatWithPractice.csv"
        || f.RelativePath.StartsWith("processedResults", StringComparison.Ordinal);

    private static string? Parse(in ScannedFile f, CremaDDemographics? demographics, out CatalogItem? item)
    {
        item = null;
        var m = NamePattern().Match(f.Name);
        if (!m.Success) return FileScan.Unrecognised(f, Expected);
        string actor = m.Groups[1].Value, sentence = m.Groups[2].Value, emotion = m.Groups[3].Value, level = m.Groups[4].Value;
        int e = Array.IndexOf(EmotionCodes, emotion);
        if (e < 0) return $"emotion code {emotion} is not one of {string.Join(' ', EmotionCodes)}";
        if (!Sentences.Contains(sentence)) return $"sentence code {sentence} is not one of the 12 CREMA-D sentences";
        if (!Levels.TryGetValue(level, out var levelName)) return $"level code {level} is not LO, MD, HI or XX";
        var ext = f.Extension;
        Modality kind;
        if (FileScan.AudioExtensions.Contains(ext)) kind = Modality.Audio;
        else if (FileScan.VideoExtensions.Contains(ext)) kind = Modality.AudioVideo; // VideoFlash clips carry their sound
        else return $"extension .{ext} is neither audio nor video";
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["sentence"] = sentence,
            ["level"] = levelName,
            ["actor"] = actor,
        };
        Sex? sex = null;
        if (demographics is not null && demographics.TryGet(actor, out var who))
        {
            sex = who.Sex;
            if (who.Age is not null) fields["age"] = who.Age;
        }
        item = new CatalogItem(f.FullPath, kind, LabelSpaces.CremaD6[e], actor, sex,
            "crema-d:" + Path.GetFileNameWithoutExtension(f.Name), fields);
        return null;
    }
}

/// <summary>CREMA-D's VideoDemographics.csv: ActorID, Age, Sex, Race, Ethnicity.</summary>
public sealed class CremaDDemographics
{
    private readonly Dictionary<string, (Sex? Sex, string? Age)> _actors;

    private CremaDDemographics(string path, Dictionary<string, (Sex?, string?)> actors) { Path = path; _actors = actors; }

    public string Path { get; }

    /// <summary>Actors listed.</summary>
    public int Count => _actors.Count;

    public bool TryGet(string actor, out (Sex? Sex, string? Age) who) => _actors.TryGetValue(actor, out who);

    /// <summary>Reads the table; a Sex other than Male/Female leaves that actor's sex unknown.</summary>
    public static CremaDDemographics Read(string path)
    {
        var table = CsvTable.Read(path);
        int id = table.RequireColumn("ActorID"), sexCol = table.RequireColumn("Sex"), age = table.Column("Age");
        var actors = new Dictionary<string, (Sex?, string?)>(StringComparer.Ordinal);
        foreach (var (line, cells) in table.Rows)
        {
            if (cells.Length <= Math.Max(id, sexCol)) throw new DatasetException($"{path}:{line}: expected at least {Math.Max(id, sexCol) + 1} columns, found {cells.Length}");
            actors[cells[id].Trim()] = (SexParser.Parse(cells[sexCol]), age >= 0 && age < cells.Length ? cells[age].Trim() : null);
        }
        return new CremaDDemographics(path, actors);
    }
}

/// <summary>Reads a sex cell: male/m, female/f (any case); anything else is unknown.</summary>
public static class SexParser
{
    public static Sex? Parse(string? cell) => cell?.Trim().ToLowerInvariant() switch
    {
        "male" or "m" => Sex.Male,
        "female" or "f" => Sex.Female,
        _ => null,
    };
}
