namespace Aver.Cli.Commands;

/// <summary>
/// An output folder written in full before it appears: files go into a hidden sibling
/// (<c>.NAME.PID.tmp</c>) and <see cref="Commit"/> renames it into place, or, when the folder already
/// exists, renames each finished file into it. A run that fails deletes the staging folder, so the
/// target never holds a half-written result.
/// </summary>
internal sealed class StagedFolder : IDisposable
{
    private bool _committed;
    public string Target { get; }
    public string Path { get; }

    public StagedFolder(string target)
    {
        Target = System.IO.Path.GetFullPath(target);
        var parent = System.IO.Path.GetDirectoryName(Target)!;
        Directory.CreateDirectory(parent);
        Path = System.IO.Path.Combine(parent, $".{System.IO.Path.GetFileName(Target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(Path);
    }

    public string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Commit()
    {
        if (!Directory.Exists(Target)) Directory.Move(Path, Target);
        else
        {
            foreach (var dir in Directory.GetDirectories(Path, "*", SearchOption.AllDirectories))
                Directory.CreateDirectory(System.IO.Path.Combine(Target, System.IO.Path.GetRelativePath(Path, dir)));
            foreach (var f in Directory.GetFiles(Path, "*", SearchOption.AllDirectories))
                System.IO.File.Move(f, System.IO.Path.Combine(Target, System.IO.Path.GetRelativePath(Path, f)), overwrite: true);
            Directory.Delete(Path, recursive: true);
        }
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed) return;
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
