using Aver.Data.Io;
using Aver.Data.Labels;

namespace Aver.Data.Catalogs;

/// <summary>
/// Any other corpus (eNTERFACE'05, RML, BAUM-1s...) described by a CSV with columns
/// `path,label,speaker` and optional `sex`, `split`, `recording`, `modality`. Relative paths are
/// resolved against the manifest's folder. The label space is the one given, else the first
/// predefined space holding every label (six basic emotions first), else the sorted distinct labels.
/// Rows whose file is missing or empty, or whose label is outside the given space, are skipped with the reason.
/// </summary>
public static class ManifestCatalog
{
    public const string DatasetName = "manifest";
    public const string DefaultFile = "manifest.csv";

    /// <summary>Reads <paramref name="manifestPath"/> (a CSV file, or a folder holding manifest.csv).</summary>
    public static Catalog Read(string manifestPath, LabelSpace? labels = null)
    {
        var path = Directory.Exists(manifestPath) ? Path.Combine(manifestPath, DefaultFile) : manifestPath;
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new DatasetException($"manifest {path} does not exist");
        var table = CsvTable.Read(full);
        int pathCol = table.RequireColumn("path"), labelCol = table.RequireColumn("label"), speakerCol = table.RequireColumn("speaker");
        int sexCol = table.Column("sex"), splitCol = table.Column("split"), recordingCol = table.Column("recording"), modalityCol = table.Column("modality");
        string Cell(string[] cells, int col) => col >= 0 && col < cells.Length ? cells[col].Trim() : "";
        labels ??= InferSpace(table.Rows.Select(r => Cell(r.Cells, labelCol)).Where(l => l.Length > 0));
        var dir = Path.GetDirectoryName(full)!;
        var items = new List<CatalogItem>();
        var skipped = new List<SkippedFile>();
        foreach (var (line, cells) in table.Rows)
        {
            var rel = Cell(cells, pathCol);
            var file = rel.Length == 0 ? $"{full}#line{line}" : Path.GetFullPath(Path.Combine(dir, rel));
            string? reason = null;
            var labelName = Cell(cells, labelCol);
            if (rel.Length == 0) reason = $"line {line}: empty path";
            else if (!labels.TryGet(labelName, out _)) reason = $"line {line}: label '{labelName}' is not in {labels.Name}";
            else if (!File.Exists(file)) reason = $"line {line}: file does not exist";
            var modality = ModalityOf(Cell(cells, modalityCol), Path.GetExtension(file).TrimStart('.').ToLowerInvariant());
            if (reason is null && modality is null) reason = $"line {line}: cannot tell the modality of '{rel}' (add a modality column: audio, video, audio-video, image)";
            if (reason is null)
            {
                var problem = FileScan.Problem(new ScannedFile(file, rel, new FileInfo(file).Length));
                if (problem is not null) reason = $"line {line}: {problem}";
            }
            if (reason is not null) { skipped.Add(new SkippedFile(file, reason)); continue; }
            var speaker = Cell(cells, speakerCol);
            var split = Cell(cells, splitCol);
            var recording = Cell(cells, recordingCol);
            var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (split.Length > 0) fields["split"] = split;
            items.Add(new CatalogItem(file, modality!.Value, labels[labelName], speaker.Length > 0 ? speaker : null,
                SexParser.Parse(Cell(cells, sexCol)), recording.Length > 0 ? recording : "file:" + file, fields));
        }
        return new Catalog(DatasetName, full, labels, items, skipped);
    }

    /// <summary>The first predefined space holding every label, else the distinct labels sorted ordinally as space "manifest".</summary>
    public static LabelSpace InferSpace(IEnumerable<string> labels)
    {
        var distinct = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (distinct.Length == 0) throw new DatasetException("manifest has no labelled rows");
        return LabelSpaces.All.FirstOrDefault(s => distinct.All(s.Contains)) ?? new LabelSpace("manifest", distinct);
    }

    private static Modality? ModalityOf(string cell, string extension) => cell.ToLowerInvariant() switch
    {
        "audio" => Modality.Audio,
        "video" => Modality.Video,
        "audio-video" or "av" => Modality.AudioVideo,
        "image" => Modality.Image,
        "" when FileScan.AudioExtensions.Contains(extension) => Modality.Audio,
        "" when FileScan.VideoExtensions.Contains(extension) => Modality.AudioVideo,
        "" when FileScan.ImageExtensions.Contains(extension) => Modality.Image,
        _ => null,
    };
}
