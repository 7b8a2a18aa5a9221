using Aver.Data.Labels;

namespace Aver.Data.Catalogs;

/// <summary>
/// Opens a corpus by pointing at it: recognises FER2013 (folders or fer2013.csv), a manifest CSV,
/// a folder per class (happy/, sadness/, OAF_angry/), or RAVDESS / CREMA-D / EMO-DB from their file names,
/// unless the dataset is named.
/// </summary>
public static class DatasetReader
{
    /// <summary>Names accepted by <see cref="Open"/>'s <c>dataset</c>.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [RavdessCatalog.DatasetName, CremaDCatalog.DatasetName, Fer2013Catalog.DatasetName, EmoDbCatalog.DatasetName, ManifestCatalog.DatasetName, ClassFolderCatalog.DatasetName];

    /// <summary>Reads <paramref name="path"/> as <paramref name="dataset"/>, or as the corpus its contents show.</summary>
    public static Catalog Open(string path, string? dataset = null, LabelSpace? manifestLabels = null)
    {
        dataset ??= Detect(path);
        return dataset.ToLowerInvariant() switch
        {
            RavdessCatalog.DatasetName => RavdessCatalog.Read(path),
            CremaDCatalog.DatasetName or "cremad" => CremaDCatalog.Read(path),
            Fer2013Catalog.DatasetName or "fer" => Fer2013Catalog.Read(path),
            EmoDbCatalog.DatasetName or "emodb" => EmoDbCatalog.Read(path),
            ManifestCatalog.DatasetName => ManifestCatalog.Read(path, manifestLabels),
            ClassFolderCatalog.DatasetName => ClassFolderCatalog.Read(path),
            _ => throw new DatasetException($"unknown dataset '{dataset}' (known: {string.Join(", ", Names)})"),
        };
    }

    /// <summary>The corpus <paramref name="path"/> holds; throws <see cref="DatasetException"/> when none or several are recognised.</summary>
    public static string Detect(string path)
    {
        if (File.Exists(path))
        {
            if (!path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) throw new DatasetException($"{path} is a file but not a CSV table (give a folder, fer2013.csv or a manifest CSV)");
            var header = File.ReadLines(path).FirstOrDefault() ?? "";
            return header.Contains("pixels", StringComparison.OrdinalIgnoreCase) && header.Contains("emotion", StringComparison.OrdinalIgnoreCase)
                ? Fer2013Catalog.DatasetName : ManifestCatalog.DatasetName;
        }
        var full = FileScan.RequireDirectory(path);
        if (Fer2013Catalog.IsFolderLayout(full) || File.Exists(Path.Combine(full, Fer2013Catalog.CsvFile))) return Fer2013Catalog.DatasetName;
        if (File.Exists(Path.Combine(full, ManifestCatalog.DefaultFile))) return ManifestCatalog.DatasetName;
        if (ClassFolderCatalog.IsLayout(full)) return ClassFolderCatalog.DatasetName;
        var counts = new Dictionary<string, int>();
        foreach (var f in FileScan.Files(full))
        {
            string? kind = RavdessCatalog.NamePattern().IsMatch(f.Name) ? RavdessCatalog.DatasetName
                : CremaDCatalog.NamePattern().IsMatch(f.Name) ? CremaDCatalog.DatasetName
                : EmoDbCatalog.NamePattern().IsMatch(f.Name) ? EmoDbCatalog.DatasetName
                : null;
            if (kind is not null) counts[kind] = counts.GetValueOrDefault(kind) + 1;
        }
        return counts.Count switch
        {
            0 => throw new DatasetException($"{path}: no RAVDESS, CREMA-D, EMO-DB or FER2013 files recognised (for another corpus, write a manifest CSV with path,label,speaker)"),
            1 => counts.Keys.Single(),
            _ => throw new DatasetException($"{path} holds files of several corpora ({string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key}: {c.Value}"))}); point at one corpus folder or name it with --dataset"),
        };
    }
}
