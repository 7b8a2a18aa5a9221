using Aver.Training.Config;

namespace Aver.Training.Experiments;

/// <summary>
/// Checked before `aver evaluate` writes anything: its --out folder is new, empty, or a run of the same
/// resolved config (which it resumes). A run of another config, or a folder of other files, is refused in one
/// line, and nothing in it is touched.
/// </summary>
public static class RunFolderGuard
{
    public static void ThrowIfOtherRun(string outDir, ExperimentConfig config, string configPath)
    {
        if (File.Exists(outDir)) throw new IOException($"{outDir} is a file, not a run folder");
        if (!Directory.Exists(outDir) || !Directory.EnumerateFileSystemEntries(outDir).Any()) return;
        var resolved = Path.Combine(outDir, ExperimentConfigLoader.ResolvedFileName);
        if (!File.Exists(resolved))
            throw new IOException($"{outDir} holds files but no {ExperimentConfigLoader.ResolvedFileName}, so it is not a run folder; give another --out");
        // The folder's config re-read with today's defaults: a key added to the config format since it was written
        // (at its default) is no difference, so a run from before such a change still resumes.
        var have = Lines(ExperimentConfigLoader.ToYaml(ExperimentConfigLoader.Parse(File.ReadAllText(resolved), resolved)));
        var want = Lines(ExperimentConfigLoader.ToYaml(config));
        for (int i = 0; i < Math.Max(have.Length, want.Length); i++)
        {
            string a = i < have.Length ? have[i] : "(end)", b = i < want.Length ? want[i] : "(end)";
            if (a != b)
                throw new IOException($"{outDir} holds a run of another config ('{a.Trim()}' where {configPath} gives '{b.Trim()}'); give another --out, or remove the folder to start over");
        }
    }

    /// <summary>The YAML's lines without comments and blank lines (the resolved copy starts with a comment).</summary>
    private static string[] Lines(string yaml) =>
        yaml.Replace("\r", "").Split('\n').Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).ToArray();
}
