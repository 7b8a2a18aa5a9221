namespace Aver.Cli.Tests.Commands;

/// <summary>`aver evaluate --out DIR` where DIR is not a run of this config: refused in one line before anything in DIR changes.</summary>
public sealed class EvaluateOutFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-evaluate-out-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A RAVDESS-named corpus of 4 actors (files of 3 bytes: enough to catalogue and split, nothing is decoded).</summary>
    private string Corpus()
    {
        var root = Path.Combine(_dir, "ravdess");
        for (int a = 1; a <= 4; a++)
            for (int e = 1; e <= 2; e++)
            {
                var f = Path.Combine(root, $"Actor_{a:00}", $"03-01-{e:00}-01-01-01-{a:00}.wav");
                Directory.CreateDirectory(Path.GetDirectoryName(f)!);
                File.WriteAllBytes(f, [1, 2, 3]);
            }
        return root;
    }

    private string Config(string name, int seed, string corpus)
    {
        var path = Path.Combine(_dir, name + ".yaml");
        File.WriteAllText(path, $$"""
            name: {{name}}
            seed: {{seed}}
            dataset: { kind: ravdess, path: {{corpus}} }
            labels: ravdess8
            protocol: { name: loso }
            model: { type: unimodal, modality: audio, extractor_width: 4, aggregator_hidden: 8, scoring_hidden: 8, audio_input: [1, 32, 31] }
            strategy: end-to-end
            training: { epochs: 1, batch_size: 4 }
            """);
        return path;
    }

    private static Dictionary<string, byte[]> Snapshot(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

    [Fact]
    public void ARunOfAnotherConfigIsRefusedInOneLineAndLeftUntouched()
    {
        var corpus = Corpus();
        var run = Path.Combine(_dir, "run");
        var first = Aver.Training.Config.ExperimentConfigLoader.Load(Config("first", 5, corpus));
        Aver.Training.Config.ExperimentConfigLoader.WriteResolved(first, run);
        Directory.CreateDirectory(Path.Combine(run, "splits"));
        File.WriteAllText(Path.Combine(run, "splits", "fold-01.csv"), "path,label\n");
        var before = Snapshot(run);

        var (code, _, err) = CliRun.Run("evaluate", Config("second", 6, corpus), "--out", run);
        Assert.Equal(1, code);
        var line = Assert.Single(err.TrimEnd().Split('\n'));
        Assert.StartsWith($"aver evaluate: error: {run} holds a run of another config ('name: first' where ", line);
        Assert.True(line.Length < 300, line);
        var after = Snapshot(run);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (f, bytes) in before) Assert.Equal(bytes, after[f]);
    }

    [Fact]
    public void ARunWrittenBeforeAKeyWasAddedIsStillTheSameConfig()
    {
        // A resolved config from before training.schedule existed (the line left out) is the same run, not another.
        var config = Config("same", 5, Corpus());
        var run = Path.Combine(_dir, "old-run");
        Aver.Training.Config.ExperimentConfigLoader.WriteResolved(Aver.Training.Config.ExperimentConfigLoader.Load(config), run);
        var resolved = Path.Combine(run, "config.yaml");
        File.WriteAllLines(resolved, File.ReadAllLines(resolved).Where(l => !l.TrimStart().StartsWith("schedule:")));
        Aver.Training.Experiments.RunFolderGuard.ThrowIfOtherRun(run, Aver.Training.Config.ExperimentConfigLoader.Load(config), config);
        File.AppendAllText(resolved, "seed: 6\n");
        Assert.Throws<IOException>(() => Aver.Training.Experiments.RunFolderGuard.ThrowIfOtherRun(run, Aver.Training.Config.ExperimentConfigLoader.Load(config), config));
    }

    [Fact]
    public void AFolderOfOtherFilesIsNotTakenForARun()
    {
        var other = Path.Combine(_dir, "documents");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "thesis.tex"), "x");
        var (code, _, err) = CliRun.Run("evaluate", Config("first", 5, Corpus()), "--out", other);
        Assert.Equal(1, code);
        Assert.Contains($"{other} holds files but no config.yaml, so it is not a run folder", err);
        Assert.Equal(["thesis.tex"], Directory.GetFileSystemEntries(other).Select(f => Path.GetFileName(f)!).ToArray());
    }
}
