using System.Diagnostics;

namespace Aver.Cli.Commands;

/// <summary>
/// An output folder written in full before it appears: files go into a hidden sibling
/// (<c>.NAME.PID.GUID.tmp</c>) and <see cref="Commit"/> renames it into place whole. A folder that
/// already holds files is refused before any work starts, unless <c>force</c>, in which case it is
/// replaced whole (never merged: two runs must not mix). A run that fails deletes the staging folder;
/// staging folders left by killed runs are removed by the next run into the same target.
/// </summary>
internal sealed class StagedFolder : IDisposable
{
    private readonly bool _force;
    private bool _committed;
    public string Target { get; }
    public string Path { get; }

    /// <param name="target">The user's output folder.</param>
    /// <param name="force">Replace a non-empty <paramref name="target"/> instead of refusing it.</param>
    public StagedFolder(string target, bool force = false)
    {
        _force = force;
        Target = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(target));
        ThrowIfOccupied();
        var parent = System.IO.Path.GetDirectoryName(Target)!;
        Path = System.IO.Path.Combine(parent, $"{Prefix}{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(parent);
            RemoveAbandoned(parent);
            Directory.CreateDirectory(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Name the user's folder, not the hidden staging name.
            throw new IOException($"cannot write {Target}: {Aver.Tensors.IO.AtomicFile.Reason(e, Path, Target)}", e);
        }
    }

    private string Prefix => $".{System.IO.Path.GetFileName(Target)}.";

    public string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Renames the finished folder into place; a target another run filled meanwhile is not touched.</summary>
    public void Commit()
    {
        ThrowIfOccupied();
        string? old = null;
        if (Directory.Exists(Target))
        {
            // Empty, or --force: set it aside first so the target is never a mix of two runs.
            old = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Target)!, $"{Prefix}{Environment.ProcessId}.{Guid.NewGuid():N}.old");
            Directory.Move(Target, old);
        }
        try { Directory.Move(Path, Target); }
        catch (IOException e) when (Directory.Exists(Target))
        {
            throw new IOException($"{Target} was written by another run meanwhile; this run's result was discarded", e);
        }
        _committed = true;
        if (old is not null) Directory.Delete(old, recursive: true);
    }

    public void Dispose()
    {
        if (_committed) return;
        try { Directory.Delete(Path, recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private void ThrowIfOccupied()
    {
        if (System.IO.File.Exists(Target)) throw new IOException($"{Target} is a file, not a folder");
        if (!_force && Directory.Exists(Target) && Directory.EnumerateFileSystemEntries(Target).Any())
            throw new IOException($"{Target} already holds files; give another --out or --force to replace it");
    }

    /// <summary>Deletes staging folders of this target whose process has ended (a killed run leaves them behind).</summary>
    private void RemoveAbandoned(string parent)
    {
        foreach (var dir in Directory.EnumerateDirectories(parent, Prefix + "*"))
        {
            var name = System.IO.Path.GetFileName(dir);
            var parts = name[Prefix.Length..].Split('.');
            if (parts.Length != 3 || parts[2] is not ("tmp" or "old") || !int.TryParse(parts[0], out int pid) || IsRunning(pid)) continue;
            try { Directory.Delete(dir, recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private static bool IsRunning(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException) { return false; }
    }
}
