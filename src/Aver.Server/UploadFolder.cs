namespace Aver.Server;

/// <summary>
/// The server's private folder for uploads while they are analysed. Files get names the server makes (a random id,
/// and an extension from the probed content), so no client-supplied name or path ever reaches the file system.
/// The folder is removed, with anything left in it, when the server stops.
/// </summary>
public sealed class UploadFolder : IDisposable
{
    public UploadFolder(string root)
    {
        RemoveAbandoned(root);
        Path = Directory.CreateDirectory(System.IO.Path.Combine(root, $"aver-serve-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>Files in the folder now (uploads being received, probed, queued or analysed).</summary>
    public int Count => Directory.Exists(Path) ? Directory.GetFiles(Path).Length : 0;

    /// <summary>A new empty upload file, deleted when the returned <see cref="TempUpload"/> is disposed.</summary>
    public TempUpload Create() => new(System.IO.Path.Combine(Path, Guid.NewGuid().ToString("N") + ".upload"));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    /// <summary>Removes the folders of servers that died without cleaning up (killed with SIGKILL, a crash): their process is gone.</summary>
    private static void RemoveAbandoned(string root)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists(root)) return;
        foreach (var dir in Directory.GetDirectories(root, "aver-serve-*-*"))
        {
            var parts = System.IO.Path.GetFileName(dir).Split('-');
            if (parts.Length != 4 || !int.TryParse(parts[2], out int pid) || Directory.Exists($"/proc/{pid}")) continue;
            try { Directory.Delete(dir, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }   // another user's, or just removed
        }
    }
}

/// <summary>One upload on disk; <see cref="Dispose"/> deletes it whatever happened to the request.</summary>
public sealed class TempUpload : IDisposable
{
    internal TempUpload(string path)
    {
        FilePath = path;
        using (File.Create(path)) { }
    }

    /// <summary>Where the upload is now (it is renamed once, when probing tells its kind).</summary>
    public string FilePath { get; private set; }

    /// <summary>Bytes received.</summary>
    public long Length { get; set; }

    /// <summary>Gives the file the extension <paramref name="extension"/> (without dot), chosen by the server.</summary>
    public void Rename(string extension)
    {
        var target = Path.ChangeExtension(FilePath, extension);
        File.Move(FilePath, target);
        FilePath = target;
    }

    public void Dispose()
    {
        try { File.Delete(FilePath); }
        catch (IOException) { }   // the folder itself is removed when the server stops
    }
}
