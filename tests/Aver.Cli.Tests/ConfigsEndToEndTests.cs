using System.Text.RegularExpressions;
using Aver.Training.Experiments;

namespace Aver.Cli.Tests;

/// <summary>Tiny corpora and a FER2013 extractor trained on them, made once for every config of configs/.</summary>
public sealed class TinyExperimentData : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("aver-configs-").FullName;
    public string Ravdess => Path.Combine(Root, "ravdess");
    public string FerModel => Path.Combine(Root, "fer-w16.safetensors");
    public string Cache => Path.Combine(Root, "cache");

    public TinyExperimentData()
    {
        if (Requirements.Missing(Need.BlazeFace) is not null) return;
        TinyCorpora.Ravdess(Ravdess);
        TinyCorpora.Fer(Path.Combine(Root, "fer2013"));
        var (code, _, err) = CliRun.Run("pretrain", Path.Combine(Root, "fer2013"), "--out", FerModel, "--epochs", "1", "--width", "16", "--patience", "none");
        if (code != 0) throw new InvalidOperationException("aver pretrain on the tiny FER2013 failed: " + err);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>
/// Every experiment in configs/ runs end to end — config, catalog, protocol, training, test, report — on tiny
/// generated corpora laid out as RAVDESS (one epoch, the first fold), so a config that no longer loads, a family
/// that no longer trains or a report that no longer writes fails here rather than in a long run.
/// </summary>
public sealed class ConfigsEndToEndTests(TinyExperimentData data) : IClassFixture<TinyExperimentData>
{
    public static TheoryData<string> Configs() =>
        new(Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "configs"), "*.yaml").Select(Path.GetFileName).Order()!);

    [TheoryRequires(Need.BlazeFace), MemberData(nameof(Configs))]
    public void A_config_runs_end_to_end_on_tiny_data(string name)
    {
        var yaml = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "configs", name));
        // The shared data's RAVDESS (or its av/ folder) becomes the tiny one; the FER2013 checkpoint, the tiny one's.
        yaml = Regex.Replace(yaml, @"(?m)^(\s*path:\s*)\S*/ravdess(/av)?\b", m => m.Groups[1].Value + data.Ravdess + m.Groups[2].Value);
        yaml = Regex.Replace(yaml, @"(?m)^(\s*visual_init:\s*)\S+", m => m.Groups[1].Value + data.FerModel);
        var config = Path.Combine(data.Root, name);
        File.WriteAllText(config, yaml);
        var outDir = Path.Combine(data.Root, "runs", Path.GetFileNameWithoutExtension(name));

        var run = ExperimentRunner.Run(config, new ExperimentRunOptions(Out: outDir, Cache: data.Cache, Epochs: 1, FoldLimit: 1));

        Assert.NotEmpty(run.Result.Rows);
        Assert.All(run.Result.Rows, row =>
        {
            var fold = Assert.Single(row.Folds);
            Assert.InRange(fold.Accuracy, 0, 1);
        });
        Assert.True(File.Exists(Path.Combine(outDir, "report.md")));
        Assert.True(File.Exists(Path.Combine(outDir, "config.yaml")));
        // Each fold's model file says where it comes from.
        var models = Directory.GetFiles(Path.Combine(outDir, "folds"), "*.safetensors", SearchOption.AllDirectories)
            .Select(f => Aver.Tensors.IO.SafeTensors.Load(f).Metadata)
            .Where(m => m.ContainsKey(Aver.Models.Spec.ModelSpec.MetadataKey)).ToList();
        Assert.NotEmpty(models);
        Assert.All(models, m =>
        {
            var provenance = System.Text.Json.Nodes.JsonNode.Parse(m[Aver.Models.Spec.ModelSpec.MetadataKey])!["provenance"]!;
            Assert.StartsWith($"aver evaluate {config}", provenance["command"]!.GetValue<string>());
            Assert.Contains(data.Ravdess, provenance["data"]!.GetValue<string>());
        });
    }
}
