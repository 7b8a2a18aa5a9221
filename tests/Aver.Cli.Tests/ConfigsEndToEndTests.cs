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

/// <summary>
/// The default model's recipe with a log-mel CNN audio branch and an ensemble of two FER networks as its visual branch,
/// end to end on the tiny corpora, then used by predict.
/// </summary>
public sealed class BuildModelEndToEndTests(TinyExperimentData data) : IClassFixture<TinyExperimentData>
{
    [FactRequires(Need.BlazeFace)]
    public void Build_model_with_an_audio_config_makes_a_model_whose_cnn_branch_answers()
    {
        // A second FER network of the same data and seed, another architecture: the two answer as one ensemble.
        var second = Path.Combine(data.Root, "fer-w8-small.safetensors");
        var (fcode, _, ferr) = CliRun.Run("pretrain", Path.Combine(data.Root, "fer2013"), "--out", second, "--epochs", "1", "--width", "8", "--stem", "small", "--patience", "none");
        Assert.True(fcode == 0, ferr);
        // The tuned recipe, one epoch: its model, features and training sections are what the audio branch is made with.
        var config = OneEpochConfig("ravdess-audio-cnn-tuned");
        var outDir = Path.Combine(data.Root, "default-model");
        var (code, stdout, err) = CliRun.Run("build-model", "--fer", Path.Combine(data.Root, "fer2013"), "--ravdess", data.Ravdess, "--out", outDir,
            "--work", Path.Combine(data.Root, "default-work"), "--visual", data.FerModel + "," + second, "--audio-config", config, "--validation-actors", "05,06");
        Assert.True(code == 0, err);
        Assert.Contains("audio validation accuracy", stdout);
        Assert.Contains("FER2013 test (an ensemble: aver score it)", stdout);   // no member's test accuracy as the ensemble's
        var card = File.ReadAllText(Path.Combine(outDir, "MODEL_CARD.md"));
        Assert.Contains("| visual | ensemble of 2 networks (mean probability): ResNet-18, width 16, ImageNet stem (7x7 stride 2, max pool); ResNet-18, width 8, small stem", card);
        Assert.Contains("| audio | audio CNN 32-64-128-256 (4 blocks conv3x3-BN-ReLU-maxpool) on 64-band log-mel crops of 3 s |", card);
        Assert.Contains($"aver evaluate {config}", card);

        var (model, status) = PredictAvClip(outDir);
        Assert.Contains("audio: audio CNN 32-64-128-256 on 64-band log-mel crops", model);
        Assert.Equal("used", status("audio"));
        Assert.Equal("used", status("visual"));
    }

    [FactRequires(Need.BlazeFace)]
    public void Build_model_with_two_audio_configs_makes_an_audio_branch_of_both_networks_each_with_its_front_end()
    {
        string cnn = OneEpochConfig("ravdess-audio-cnn-tuned-noise"), rnn = OneEpochConfig("ravdess-audio-reslstm-mfcc-chroma");
        var outDir = Path.Combine(data.Root, "ensemble-model");
        var (code, stdout, err) = CliRun.Run("build-model", "--fer", Path.Combine(data.Root, "fer2013"), "--ravdess", data.Ravdess, "--out", outDir,
            "--work", Path.Combine(data.Root, "ensemble-work"), "--visual", data.FerModel, "--audio-config", cnn + "," + rnn, "--validation-actors", "05,06");
        Assert.True(code == 0, err);
        Assert.Contains("audio branch: the mean probability of 2 networks", stdout + err);   // the progress log
        var card = File.ReadAllText(Path.Combine(outDir, "MODEL_CARD.md"));
        Assert.Contains("| audio | the mean probability of 2 networks: audio CNN 32-64-128-256 (4 blocks conv3x3-BN-ReLU-maxpool) on 64-band log-mel crops of 3 s; ResLSTM-SA 64 on 34 MFCCs + 12 chroma of 64-band log-mel crops of 3 s |", card);
        Assert.Contains($"`aver evaluate {cnn}`, `aver evaluate {rnn}`", card);

        var (model, status) = PredictAvClip(outDir);
        Assert.Contains("audio: the mean of 2 networks: audio CNN 32-64-128-256 on 64-band log-mel crops of 3 s (3 averaged); ResLSTM-SA 64 on 34 MFCCs + 12 chroma", model);
        Assert.Equal("used", status("audio"));

        // Rebuilt from that bundle, a FER network joining its visual branch and a third audio network joining its audio
        // branch: the bundle's networks are kept whole (the same tensors and front ends), the new ones follow them.
        var rebuilt = Path.Combine(data.Root, "rebuilt-model");
        (code, stdout, err) = CliRun.Run("build-model", "--fer", Path.Combine(data.Root, "fer2013"), "--ravdess", data.Ravdess, "--out", rebuilt,
            "--work", Path.Combine(data.Root, "rebuilt-work"), "--visual", outDir + "," + data.FerModel, "--audio-from", outDir,
            "--audio-config", cnn, "--validation-actors", "05,06");
        Assert.True(code == 0, err);
        var before = Aver.Tensors.IO.SafeTensors.Load(Path.Combine(outDir, "model.safetensors"));
        var after = Aver.Tensors.IO.SafeTensors.Load(Path.Combine(rebuilt, "model.safetensors"));
        var audioKeys = before.Tensors.Keys.Where(k => k.StartsWith("audio.", StringComparison.Ordinal)).Order().ToList();
        Assert.All(audioKeys, k => Assert.Equal(before.Tensors[k].Data, after.Tensors[k].Data));
        Assert.Contains("audio.2.fc.weight", after.Tensors.Keys);
        Assert.Equal(before.Tensors["visual.conv1.weight"].Data, after.Tensors["visual.0.conv1.weight"].Data);
        Assert.Contains("visual.1.conv1.weight", after.Tensors.Keys);
        var (beforeSpec, afterSpec) = (Aver.Models.Spec.ModelSpec.FromMetadata(before.Metadata, "before"), Aver.Models.Spec.ModelSpec.FromMetadata(after.Metadata, "after"));
        foreach (var end in new[] { "audio.0", "audio.1" })
            Assert.Equal(beforeSpec.FrontEnds[end].ToJsonString(), afterSpec.FrontEnds[end].ToJsonString());
        // Each network keeps its own recipe (how it was trained), not a chain of the bundles it passed through.
        foreach (int i in new[] { 0, 1 })
            Assert.Equal(beforeSpec.Extra![RecipeKey(i)], afterSpec.Extra![RecipeKey(i)]);
        Assert.StartsWith("best epoch 1 by validation accuracy-then-loss (adamw lr 0.001, cosine schedule, batch 32,", afterSpec.Extra![RecipeKey(2)]);   // the config's own words
        Assert.Contains($"network 0: {beforeSpec.Extra![RecipeKey(0)]} (kept whole from `{outDir}#audio.0`",
            afterSpec.Extra![Aver.Training.Recipes.DefaultModelBundle.AudioRecipeKey]);
        Assert.Contains($"The audio branch keeps the networks of `{outDir}` whole", File.ReadAllText(Path.Combine(rebuilt, "MODEL_CARD.md")));
        Assert.Equal("used", PredictAvClip(rebuilt).Status("audio"));

        // BUNDLE#audio.N keeps that network alone: the rebuilt bundle's third network, then the first bundle's first.
        var picked = Path.Combine(data.Root, "picked-model");
        (code, _, err) = CliRun.Run("build-model", "--fer", Path.Combine(data.Root, "fer2013"), "--ravdess", data.Ravdess, "--out", picked,
            "--work", Path.Combine(data.Root, "picked-work"), "--visual", data.FerModel, "--audio-from", $"{rebuilt}#audio.2,{outDir}#audio.0",
            "--validation-actors", "05,06");
        Assert.True(code == 0, err);
        var chosen = Aver.Tensors.IO.SafeTensors.Load(Path.Combine(picked, "model.safetensors"));
        Assert.Equal(after.Tensors["audio.2.fc.weight"].Data, chosen.Tensors["audio.0.fc.weight"].Data);
        Assert.Equal(before.Tensors["audio.0.fc.weight"].Data, chosen.Tensors["audio.1.fc.weight"].Data);
        Assert.DoesNotContain("audio.2.fc.weight", chosen.Tensors.Keys);
        var chosenSpec = Aver.Models.Spec.ModelSpec.FromMetadata(chosen.Metadata, "picked");
        Assert.Equal(afterSpec.Extra![RecipeKey(2)], chosenSpec.Extra![RecipeKey(0)]);
        Assert.Equal(beforeSpec.Extra![RecipeKey(0)], chosenSpec.Extra![RecipeKey(1)]);
        string branchRecipe = chosenSpec.Extra![Aver.Training.Recipes.DefaultModelBundle.AudioRecipeKey];
        Assert.Equal(2, branchRecipe.Split("kept whole from").Length - 1);   // once per network, never nested
        Assert.Contains($"(kept whole from `{rebuilt}#audio.2`", branchRecipe);
        (code, _, err) = CliRun.Run("build-model", "--fer", Path.Combine(data.Root, "fer2013"), "--ravdess", data.Ravdess, "--out", Path.Combine(data.Root, "none"),
            "--visual", data.FerModel, "--audio-from", $"{outDir}#audio.5");
        Assert.NotEqual(0, code);
        Assert.Contains($"{outDir}#audio.5: the bundle's audio branch has 2 network(s), #audio.0 to #audio.1", err);
    }

    private static string RecipeKey(int member) => Aver.Training.Recipes.DefaultModelBundle.AudioMemberRecipeKey(member);

    /// <summary>configs/NAME.yaml cut to one epoch without warm-up, written beside the tiny corpora; its path.</summary>
    private string OneEpochConfig(string name)
    {
        var yaml = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "configs", name + ".yaml"));
        yaml = Regex.Replace(yaml, @"(?m)^(\s*epochs:\s*)\d+", "${1}1");
        yaml = Regex.Replace(yaml, @"(?m)^(\s*warmup_epochs:\s*)\d+", "${1}0");
        var path = Path.Combine(data.Root, name + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>`aver predict --json` of the first tiny AV clip with the model in <paramref name="outDir"/>: its description, and each branch's status by name.</summary>
    private (string? Model, Func<string, string?> Status) PredictAvClip(string outDir)
    {
        var clip = Directory.GetFiles(Path.Combine(data.Ravdess, "av"), "*.mp4").Order().First();
        var (code, json, err) = CliRun.Run("predict", clip, "--model", outDir, "--json");
        Assert.True(code == 0, err);
        var answer = System.Text.Json.JsonDocument.Parse(json).RootElement.Clone();
        var branches = answer.GetProperty("clips")[0].GetProperty("branches").EnumerateArray().ToList();
        return (answer.GetProperty("model").GetString(),
            name => branches.Single(b => b.GetProperty("name").GetString() == name).GetProperty("status").GetString());
    }
}
