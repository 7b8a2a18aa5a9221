namespace Aver.Media;

/// <summary>
/// A media file could not be read as asked: missing, empty, not media, truncated, lacking the
/// requested stream, or a decoder failure. The message names the file and the problem in one sentence.
/// </summary>
public class MediaException : Exception
{
    /// <summary>The file the problem concerns.</summary>
    public string FilePath { get; }

    public MediaException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner) => FilePath = filePath;

    /// <summary>Throws when <paramref name="path"/> is missing, a folder, a FIFO or device, or zero bytes; the checks every reader starts with.</summary>
    internal static void ThrowIfNotReadable(string path)
    {
        if (Directory.Exists(path)) throw new MediaException(path, "is a folder, not a media file");
        var info = new FileInfo(path);
        if (!info.Exists) throw new MediaException(path, "file not found");
        // A FIFO or a device reports zero bytes, yet is no empty file: reading it would block or never end.
        if (Aver.Tensors.IO.UnixFile.NotRegular(path) is { } why) throw new MediaException(path, why);
        if (info.Length == 0) throw new MediaException(path, "file is empty (zero bytes)");
    }
}
