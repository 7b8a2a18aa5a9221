using System.IO.Enumeration;
using Aver.Tensors.IO;

namespace Aver.Data.Catalogs;

/// <summary>
/// A file found under a corpus root: full path, path relative to the root, size in bytes, and, when it is a
/// second path (a symbolic link) to a file already found, that file's relative path.
/// </summary>
public readonly record struct ScannedFile(string FullPath, string RelativePath, long Length, string? SameAs = null)
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

    /// <summary>
    /// Every file under <paramref name="root"/> (recursive), sorted by relative path. Symbolic links are followed
    /// once: a folder reached a second time (a link back to a folder already scanned, or to one above the root)
    /// is not entered again, and a file reached a second time is marked <see cref="ScannedFile.SameAs"/>, which
    /// <see cref="Sort"/> reports as skipped. Identity is the file's device and inode, not its name.
    /// </summary>
    public static List<ScannedFile> Files(string root, bool recursive = true)
    {
        var full = RequireDirectory(root);
        var folders = new HashSet<FileId>();
        for (var up = Path.GetDirectoryName(full); up is not null; up = Path.GetDirectoryName(up))
            if (UnixFile.Identity(up) is FileId above) folders.Add(above);   // a link to an ancestor would scan the root again
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = 0, ReturnSpecialDirectories = false };
        var list = new List<ScannedFile>();
        var pending = new Stack<string>([full]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            if (UnixFile.Identity(dir) is FileId id && !folders.Add(id)) continue;
            var entries = new FileSystemEnumerable<(ScannedFile File, bool IsDirectory)>(dir,
                (ref FileSystemEntry e) => (new ScannedFile(e.ToFullPath(), Path.Join(e.Directory[full.Length..].TrimStart(Path.DirectorySeparatorChar), e.FileName), e.Length), e.IsDirectory),
                options);
            foreach (var (file, isDirectory) in entries)
                if (!isDirectory) list.Add(file);
                else if (recursive) pending.Push(file.FullPath);
        }
        list.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        MarkSecondPaths(list);
        return list;
    }

    /// <summary>Marks each file that is the same file (device and inode) as one earlier in the list.</summary>
    private static void MarkSecondPaths(List<ScannedFile> files)
    {
        var first = new Dictionary<FileId, string>();
        for (int i = 0; i < files.Count; i++)
        {
            if (UnixFile.Identity(files[i].FullPath) is not FileId id) continue;
            if (first.TryGetValue(id, out var original)) files[i] = files[i] with { SameAs = original };
            else first[id] = files[i].RelativePath;
        }
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
            CatalogItem? item = null;
            var reason = f.SameAs is { } original ? $"same file as {original} (a second path through a symbolic link)" : parse(f, out item) ?? Problem(f, open);
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
