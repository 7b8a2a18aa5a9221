using System.Collections.Frozen;
using Aver.Data.Io;
using Aver.Data.Labels;

namespace Aver.Data.Catalogs;

/// <summary>
/// FER2013 in either of its two forms: the folder layout `train|test/&lt;class&gt;/*.jpg` (as the MRPN
/// paper cites it; classes angry disgust fear happy neutral sad surprise), or the original
/// `fer2013.csv` (columns emotion 0-6, pixels "48*48 grey values", Usage Training/PublicTest/PrivateTest).
/// Faces carry no speaker id. The folder form is read by directory enumeration only (no file is
/// opened), so 35,887 images are listed in well under a second.
/// </summary>
public static class Fer2013Catalog
{
    public const string DatasetName = "fer2013";
    public const string CsvFile = "fer2013.csv";
    public const int Side = 48;

    /// <summary>Folder names of the usage splits and the `usage` field they give.</summary>
    private static readonly FrozenDictionary<string, string> SplitFolders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        { ["train"] = "train", ["test"] = "test", ["val"] = "validation", ["validation"] = "validation" }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>fer2013.csv Usage values and the `usage` field they give.</summary>
    private static readonly FrozenDictionary<string, string> CsvUsages = new Dictionary<string, string>(StringComparer.Ordinal)
        { ["Training"] = "train", ["PublicTest"] = "validation", ["PrivateTest"] = "test" }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>True when <paramref name="root"/> looks like the folder layout (a train or test folder of class folders).</summary>
    public static bool IsFolderLayout(string root) =>
        Directory.Exists(root) && SplitFolders.Keys.Any(s => Directory.Exists(Path.Combine(root, s))
            && Directory.EnumerateDirectories(Path.Combine(root, s)).Any(d => LabelSpaces.Fer7.Contains(Path.GetFileName(d).ToLowerInvariant())));

    /// <summary>Reads the folder layout under <paramref name="root"/>, or the CSV when <paramref name="root"/> is fer2013.csv or a folder holding it.</summary>
    public static Catalog Read(string root)
    {
        if (File.Exists(root)) return ReadCsv(root);
        var csv = Path.Combine(root, CsvFile);
        return !IsFolderLayout(root) && File.Exists(csv) ? ReadCsv(csv) : ReadFolders(root);
    }

    /// <summary>The folder layout: `&lt;split&gt;/&lt;class&gt;/image`, split train, test, val or validation.</summary>
    public static Catalog ReadFolders(string root)
    {
        var full = FileScan.RequireDirectory(root);
        var fields = SplitFolders.Values.Distinct().ToDictionary(v => v, v => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { ["usage"] = v }.ToFrozenDictionary());
        var (items, skipped) = FileScan.Sort(FileScan.Files(full), (in ScannedFile f, out CatalogItem? item) => ParseImage(f, fields, out item), open: false);
        return new Catalog(DatasetName, full, LabelSpaces.Fer7, items, skipped);
    }

    private static string? ParseImage(in ScannedFile f, Dictionary<string, IReadOnlyDictionary<string, string>> fields, out CatalogItem? item)
    {
        item = null;
        var parts = f.RelativePath.Split(Path.DirectorySeparatorChar);
        if (parts.Length != 3) return "not at <split>/<class>/<image>";
        if (!SplitFolders.TryGetValue(parts[0], out var usage)) return $"folder '{parts[0]}' is not train, test, val or validation";
        if (!LabelSpaces.Fer7.TryGet(parts[1].ToLowerInvariant(), out var label)) return $"folder '{parts[1]}' is not a FER2013 class ({string.Join(", ", LabelSpaces.Fer7.Names)})";
        if (!FileScan.ImageExtensions.Contains(f.Extension)) return FileScan.Unrecognised(f, "an image (.jpg, .png)");
        item = new CatalogItem(f.FullPath, Modality.Image, label, null, null, "fer2013:" + f.RelativePath, fields[usage]);
        return null;
    }

    /// <summary>
    /// fer2013.csv: one item per row, path "fer2013.csv#N" (N = 1-based data row). Rows with a bad
    /// emotion, a pixel count other than 48*48 or an unknown Usage are skipped with the reason.
    /// </summary>
    public static Catalog ReadCsv(string csvPath)
    {
        var full = Path.GetFullPath(csvPath);
        if (!File.Exists(full)) throw new DatasetException($"FER2013 table {csvPath} does not exist");
        var items = new List<CatalogItem>();
        var skipped = new List<SkippedFile>();
        int emotion = -1, pixels = -1, usage = -1, row = 0;
        foreach (var (line, cells) in Csv.ReadLines(full))
        {
            if (emotion < 0)
            {
                var header = CsvTable.Of(full, cells);
                (emotion, pixels, usage) = (header.RequireColumn("emotion"), header.RequireColumn("pixels"), header.RequireColumn("Usage"));
                continue;
            }
            var path = $"{full}#{++row}";
            var reason = ParseRow(cells, emotion, pixels, usage, out var label, out var use);
            if (reason is not null) { skipped.Add(new SkippedFile(path, $"line {line}: {reason}")); continue; }
            items.Add(new CatalogItem(path, Modality.Image, label, null, null, "fer2013:" + row,
                new SortedDictionary<string, string>(StringComparer.Ordinal) { ["usage"] = use!, ["row"] = row.ToString() }));
        }
        if (emotion < 0) throw new DatasetException($"{csvPath}: empty table (no header)");
        return new Catalog(DatasetName, full, LabelSpaces.Fer7, items, skipped);
    }

    private static string? ParseRow(string[] cells, int emotion, int pixels, int usage, out Label label, out string? use)
    {
        label = default;
        use = null;
        if (cells.Length <= Math.Max(emotion, Math.Max(pixels, usage))) return $"{cells.Length} columns, expected 3";
        if (!int.TryParse(cells[emotion], out int e) || e < 0 || e >= LabelSpaces.Fer7.Count) return $"emotion '{cells[emotion]}' is not 0-6";
        if (!CsvUsages.TryGetValue(cells[usage].Trim(), out use)) return $"Usage '{cells[usage]}' is not Training, PublicTest or PrivateTest";
        int n = ParsePixels(cells[pixels], null);
        if (n != Side * Side) return n < 0 ? "pixels are not whole numbers 0-255" : $"{n} pixels, expected {Side * Side}";
        label = LabelSpaces.Fer7[e];
        return null;
    }

    /// <summary>
    /// Parses a `pixels` cell (space-separated grey values) into <paramref name="destination"/>
    /// (may be null to count only). Returns the count, or -1 when a value is not 0-255.
    /// </summary>
    public static int ParsePixels(string cell, Span<byte> destination)
    {
        int n = 0, value = -1;
        foreach (char c in cell)
        {
            if (c is >= '0' and <= '9')
            {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) return -1;
            }
            else if (c == ' ')
            {
                if (value >= 0) { if (n < destination.Length) destination[n] = (byte)value; n++; value = -1; }
            }
            else return -1;
        }
        if (value >= 0) { if (n < destination.Length) destination[n] = (byte)value; n++; }
        return n;
    }
}
