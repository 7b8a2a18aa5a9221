namespace Aver.Data.Tests;

/// <summary>A temporary corpus folder for catalog tests; deleted on dispose.</summary>
internal sealed class TempCorpus : IDisposable
{
    public TempCorpus()
    {
        Root = Path.Combine(Path.GetTempPath(), "aver-data-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Creates <paramref name="relativePath"/> with a few bytes (or empty) and returns its full path.</summary>
    public string File(string relativePath, bool empty = false)
    {
        var full = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllBytes(full, empty ? [] : [1, 2, 3, 4]);
        return full;
    }

    /// <summary>Writes text to <paramref name="relativePath"/> and returns its full path.</summary>
    public string Text(string relativePath, string text)
    {
        var full = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, text);
        return full;
    }

    public string Path_(params string[] parts) => Path.Combine([Root, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
