using System.IO.Enumeration;
using Aver.Tensors.IO;

namespace Aver.Data.Catalogs;

/// <summary>A file found under a corpus root: full path, path relative to the root, size in bytes.</summary>
public readonly record struct ScannedFile(string FullPath, string RelativePath, long Length)
{
    public string Name => Path.GetFileName(FullPath);
    public string Extension => Path.GetExtension(FullPath).TrimStart('.').ToLowerInvariant();
}

/// <summary>Reads one file's name into an item, or returns why it cannot (null = taken).</summary>
public delegate string? FileParser(in ScannedFile file, out CatalogItem? item);

/// <summary>
/// Enumerates a corpus folder and does the checks every catalog shares (non-empty, readable).
/// Uses one directory enumeration with the sizes the enumerator already has, so FER2013's
/// 35,887 images are listed without opening any of them.
/// </summary>
public static class FileScan
{
    public static readonly IReadOnlySet<string> AudioExtensions = new HashSet<string>(StringComparer.Ordinal) { "wav", "flac", "mp3", "ogg", "m4a", "aac" };
    public static readonly IReadOnlySet<string> VideoExtensions = new HashSet<string>(StringComparer.Ordinal) { "mp4", "avi", "mkv", "mov", "flv", "webm", "mpg", "mpeg" };
    public static readonly IReadOnlySet<string> ImageExtensions = new HashSet<string>(StringComparer.Ordinal) { "jpg", "jpeg", "png", "bmp" };

    /// <summary>Every file under <paramref name="root"/> (recursive), sorted by relative path.</summary>
    public static List<ScannedFile> Files(string root, bool recursive = true)
    {
        var full = RequireDirectory(root);
        var options = new EnumerationOptions { RecurseSubdirectories = recursive, IgnoreInaccessible = false, AttributesToSkip = 0, ReturnSpecialDirectories = false };
        var files = new FileSystemEnumerable<ScannedFile>(full,
            (ref FileSystemEntry e) => new ScannedFile(e.ToFullPath(), Path.Join(e.Directory[full.Length..].TrimStart(Path.DirectorySeparatorChar), e.FileName), e.Length),
            options) { ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory };
        var list = files.ToList();
        list.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return list;
    }

    /// <summary>
    /// Parses each file with <paramref name="parse"/> and checks it (<see cref="Problem"/>); every
    /// file lands either in items or, with its reason, in skipped.
    /// </summary>
    public static (List<CatalogItem> Items, List<SkippedFile> Skipped) Sort(IEnumerable<ScannedFile> files, FileParser parse, bool open = true)
    {
        var items = new List<CatalogItem>();
        var skipped = new List<SkippedFile>();
        foreach (var f in files)
        {
            var reason = parse(f, out var item) ?? Problem(f, open);
            if (reason is null) items.Add(item!);
            else skipped.Add(new SkippedFile(f.FullPath, reason));
        }
        return (items, skipped);
    }

    /// <summary>The full path of <paramref name="root"/>; throws <see cref="DatasetException"/> when it is not a folder.</summary>
    public static string RequireDirectory(string root)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(full)) throw new DatasetException($"dataset folder {root} does not exist");
        return full;
    }

    /// <summary>
    /// Why <paramref name="file"/> cannot be used (empty, or unreadable when <paramref name="open"/>), or null when it can.
    /// </summary>
    public static string? Problem(in ScannedFile file, bool open = true)
    {
        if (file.Length == 0)
            return UnixFile.Kind(file.FullPath) is var kind and not (FileKind.Regular or FileKind.Unknown or FileKind.Missing)
                ? $"{UnixFile.Describe(kind)}, not a regular file" : "empty file";
        if (!open) return null;
        try
        {
            using var h = File.OpenHandle(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"unreadable: {e.Message}";
        }
    }

    /// <summary>The reason given for a file whose name a catalog does not recognise.</summary>
    public static string Unrecognised(in ScannedFile file, string expected) =>
        file.Name.StartsWith('.') ? "hidden file" : $"name does not match {expected}";
}
