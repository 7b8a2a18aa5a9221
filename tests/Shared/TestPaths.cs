namespace Aver.Testing;

/// <summary>Where tests find the repository, its committed fixtures, and the shared real data.</summary>
internal static class TestPaths
{
    /// <summary>The repository root (the folder holding Aver.slnx).</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>Committed reference values: tests/fixtures.</summary>
    public static string Fixtures => Path.Combine(RepoRoot, "tests", "fixtures");

    /// <summary>../shared/data beside the repository, or null when absent (a user's fresh clone).</summary>
    public static string? SharedData
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("AVER_SHARED_DATA");
            if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
            var p = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));
            return Directory.Exists(p) ? p : null;
        }
    }

    /// <summary>The shared data folder; only call from a test that requires <c>Need.SharedData</c>.</summary>
    public static string Data(params string[] parts) =>
        Path.Combine([SharedData ?? throw new InvalidOperationException("../shared/data is absent"), .. parts]);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Aver.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Aver.slnx not found above " + AppContext.BaseDirectory);
    }
}

