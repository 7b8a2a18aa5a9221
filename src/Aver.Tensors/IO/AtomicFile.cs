namespace Aver.Tensors.IO;

/// <summary>Writes a file under a temporary name in the same folder and renames it into place, so a reader never sees half a file.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/>. A folder or file that cannot be written is an
    /// <see cref="IOException"/> naming <paramref name="path"/> (never the hidden temporary name).
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        FileStream fs;
        try
        {
            Directory.CreateDirectory(dir);
            fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write {path}: {Reason(e, tmp, path)}", e);
        }
        try
        {
            using (fs)
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            try { File.Move(tmp, full, overwrite: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"cannot write {path}: {Reason(e, tmp, path)}", e);
            }
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>
    /// Why a write failed, in words that name <paramref name="shown"/> (the user's path) where .NET's message names
    /// <paramref name="hidden"/> (a temporary name); a missing folder under a pseudo file system such as /proc
    /// reads "Could not find file", which is not what happened.
    /// </summary>
    public static string Reason(Exception e, string hidden, string shown) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException or FileNotFoundException => $"{Path.GetDirectoryName(Path.GetFullPath(shown))} does not accept new files",
        _ => e.Message.Replace(hidden, shown, StringComparison.Ordinal),
    };
}
