using System.Text.RegularExpressions;
using Aver.Data.Labels;

namespace Aver.Data.Catalogs;

/// <summary>
/// RAVDESS as downloaded: `Actor_XX/` folders or flat, any mix of the audio-only (`03-`), audio-video
/// (`01-`) and video-only (`02-`) files, speech and song. Names are
/// modality-channel-emotion-intensity-statement-repetition-actor; odd actors are male.
/// All files of one take share a recording id (the name without its modality), and every `03-`
/// audio item points at the `01-` (else `02-`) video of the same take.
/// </summary>
public static partial class RavdessCatalog
{
    public const string DatasetName = "ravdess";

    [GeneratedRegex(@"^(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)-(\d\d)\.([A-Za-z0-9]+)$")]
    internal static partial Regex NamePattern();

    [GeneratedRegex(@"^Actor_(\d\d)$", RegexOptions.IgnoreCase)]
    private static partial Regex ActorFolder();

    private const string Expected = "RAVDESS MM-VV-EE-II-SS-RR-AA.ext";

    /// <summary>Reads every RAVDESS file under <paramref name="root"/>; other files are reported as skipped.</summary>
    public static Catalog Read(string root)
    {
        var full = FileScan.RequireDirectory(root);
        var (items, skipped) = FileScan.Sort(FileScan.Files(full), Parse);
        return new Catalog(DatasetName, full, LabelSpaces.Ravdess8, VideoPairing.Pair(items), skipped);
    }

    /// <summary>The recording id of a RAVDESS file name: its fields after the modality, e.g. "ravdess:01-05-02-01-02-12".</summary>
    public static string RecordingIdOf(string fileName)
    {
        var m = NamePattern().Match(fileName);
        if (!m.Success) throw new ArgumentException($"'{fileName}' is not a RAVDESS file name ({Expected})", nameof(fileName));
        return "ravdess:" + fileName[3..fileName.LastIndexOf('.')];
    }

    private static string? Parse(in ScannedFile f, out CatalogItem? item)
    {
        item = null;
        var m = NamePattern().Match(f.Name);
        if (!m.Success) return FileScan.Unrecognised(f, Expected);
        int Code(int g) => int.Parse(m.Groups[g].ValueSpan);
        int modality = Code(1), channel = Code(2), emotion = Code(3), intensity = Code(4), statement = Code(5), repetition = Code(6), actor = Code(7);
        if (modality is < 1 or > 3) return $"modality code {modality:00} is not 01 (audio-video), 02 (video) or 03 (audio)";
        if (channel is < 1 or > 2) return $"vocal channel code {channel:00} is not 01 (speech) or 02 (song)";
        if (emotion is < 1 or > 8) return $"emotion code {emotion:00} is outside 01-08";
        if (intensity is < 1 or > 2) return $"intensity code {intensity:00} is not 01 (normal) or 02 (strong)";
        if (statement is < 1 or > 2) return $"statement code {statement:00} is not 01 or 02";
        if (repetition is < 1 or > 2) return $"repetition code {repetition:00} is not 01 or 02";
        if (actor is < 1 or > 24) return $"actor code {actor:00} is outside 01-24";
        var ext = f.Extension;
        var kind = modality == 3 ? Modality.Audio : modality == 1 ? Modality.AudioVideo : Modality.Video;
        bool extOk = kind == Modality.Audio ? FileScan.AudioExtensions.Contains(ext) : FileScan.VideoExtensions.Contains(ext);
        if (!extOk) return $"modality code {modality:00} ({CatalogSummary.ModalityName(kind)}) but the file is .{ext}";
        var folder = ActorFolder().Match(Path.GetFileName(Path.GetDirectoryName(f.FullPath)) ?? "");
        if (folder.Success && int.Parse(folder.Groups[1].ValueSpan) != actor)
            return $"file of actor {actor:00} inside folder {folder.Value}";
        var speaker = actor.ToString("00");
        item = new CatalogItem(f.FullPath, kind, LabelSpaces.Ravdess8[emotion - 1], speaker, actor % 2 == 1 ? Sex.Male : Sex.Female,
            RecordingIdOf(f.Name),
            new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["vocal_channel"] = channel == 1 ? "speech" : "song",
                ["intensity"] = intensity == 1 ? "normal" : "strong",
                ["statement"] = statement.ToString("00"),
                ["repetition"] = repetition.ToString("00"),
                ["actor"] = speaker,
            });
        return null;
    }
}
