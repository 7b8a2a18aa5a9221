using Aver.Data.Labels;

namespace Aver.Data.Catalogs;

/// <summary>
/// A corpus laid out as one folder per class (`happy/`, `sadness/`, `OAF_angry/`, ...), the media files anywhere
/// below each: the class is the folder's emotion (<see cref="EmotionNames"/>), so `OAF_angry/` and `YAF_angry/`
/// are both angry. The label space is the emotions found, in a fixed order.
/// </summary>
public static class ClassFolderCatalog
{
    public const string DatasetName = "folders";

    /// <summary>The canonical emotions in the order a folder corpus lists them.</summary>
    private static readonly string[] Order = ["neutral", "calm", "happy", "sad", "angry", "fear", "disgust", "surprise", "boredom", "contempt"];

    /// <summary>True when every subfolder of <paramref name="root"/> (at least two) is named after an emotion.</summary>
    public static bool IsLayout(string root)
    {
        if (!Directory.Exists(root)) return false;
        var dirs = Directory.GetDirectories(root);
        return dirs.Length >= 2 && dirs.All(d => EmotionNames.Of(Path.GetFileName(d)) is not null);
    }

    /// <summary>Reads the class folders under <paramref name="root"/>; files that are not media are listed as skipped.</summary>
    public static Catalog Read(string root)
    {
        var full = FileScan.RequireDirectory(root);
        var emotions = Directory.GetDirectories(full).Select(d => EmotionNames.Of(Path.GetFileName(d))).OfType<string>().Distinct().ToHashSet();
        var labels = new LabelSpace(DatasetName + ":" + string.Join("-", Order.Where(emotions.Contains)), Order.Where(emotions.Contains).ToArray());
        var (items, skipped) = FileScan.Sort(FileScan.Files(full), (in ScannedFile f, out CatalogItem? item) => Parse(f, labels, out item), open: false);
        return new Catalog(DatasetName, full, labels, items, skipped);
    }

    private static string? Parse(in ScannedFile f, LabelSpace labels, out CatalogItem? item)
    {
        item = null;
        var top = f.RelativePath.Split(Path.DirectorySeparatorChar)[0];
        if (EmotionNames.Of(top) is not { } emotion) return $"folder '{top}' is not named after an emotion";
        var modality = FileScan.AudioExtensions.Contains(f.Extension) ? Modality.Audio
            : FileScan.VideoExtensions.Contains(f.Extension) ? Modality.AudioVideo
            : FileScan.ImageExtensions.Contains(f.Extension) ? Modality.Image
            : (Modality?)null;
        if (modality is null) return FileScan.Unrecognised(f, "audio, video or an image");
        item = new CatalogItem(f.FullPath, modality.Value, labels[emotion], null, null, $"{DatasetName}:{f.RelativePath}", new Dictionary<string, string>());
        return null;
    }
}
