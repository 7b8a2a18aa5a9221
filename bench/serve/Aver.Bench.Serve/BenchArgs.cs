namespace Aver.Bench.Serve;

/// <summary>The benchmark's options: seconds per cell, soak seconds, and the server's workers, queue and port.</summary>
internal sealed record BenchArgs(int Seconds, int Soak, int Workers, int Queue, int Port)
{
    public static BenchArgs Parse(string[] args)
    {
        int Get(string name, int fallback)
        {
            int i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
        }
        return new(Get("seconds", 20), Get("soak", 300), Get("workers", 2), Get("queue", 16), Get("port", 18181));
    }

    /// <summary>The repository root (the folder holding Aver.slnx) above the working folder or the program.</summary>
    public static string RepoRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Aver.slnx"))) return dir.FullName;
        throw new InvalidOperationException("run from inside the repository (Aver.slnx not found)");
    }
}

/// <summary>A clip the clients send, its bytes read once, and the status its first answer had.</summary>
internal sealed class BenchClip(string name, string path)
{
    public string Name { get; } = name;
    public string FileName { get; } = Path.GetFileName(path);
    public byte[] Bytes { get; } = File.ReadAllBytes(path);
    public int ExpectedStatus { get; set; } = 200;
}
