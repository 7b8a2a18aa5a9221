namespace Aver.Cli.Tests.Commands;

/// <summary>`aver evaluate` on MRPN configs: a tiny fusion network end to end on the shared audio-video clips, and config errors.</summary>
public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-evaluate-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Config(string name, string model, string strategy = "end-to-end", string protocol = "loso") => Write(name + ".yaml", $$"""
        name: {{name}}
        seed: 5
        dataset: { kind: ravdess, path: {{TestPaths.SharedData ?? "/absent"}}/ravdess }
        labels: ravdess8
        protocol: { name: {{protocol}} }
        model: { {{model}}, extractor_width: 4, aggregator_hidden: 8, scoring_hidden: 8, audio_input: [1, 32, 31], video_input: [1, 32, 32] }
        strategy: {{strategy}}
        training: { epochs: 1, batch_size: 4, learning_rate: 1.0e-3 }
        features: { video: { face_size: 32, color: gray, fps: 2 } }
        """);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void ATinyLateFusionRunTrainsAmVmAndTheFusionAndASecondRunReusesTheFaceCrops()
    {
        string cache = Path.Combine(_dir, "cache"), out1 = Path.Combine(_dir, "late");
        var config = Config("late", "type: mrpn, variant: N1", "late-fusion");
        var (code, stdout, stderr) = CliRun.Run("evaluate", config, "--out", out1, "--cache", cache, "--folds", "04");
        Assert.True(code == 0, stderr);
        Assert.Contains("AM (T) 04", stdout);
        Assert.Contains("VM (T) 04", stdout);
        Assert.Contains("N1 (late fusion) 04", stdout);
        Assert.Contains("(6 detected, 0 from the cache)", stderr);
        var report = File.ReadAllText(Path.Combine(out1, "report.md"));
        Assert.Contains("speaker-independent", report);
        Assert.Contains("Late fusion", report);
        Assert.True(File.Exists(Path.Combine(out1, "folds", "n1-late-fusion", "04", "best.safetensors")));
        // Every row's fold leaves a bundle of its own network: AM, VM and the late-fused N1.
        foreach (var (row, network) in new[] { ("am-t", "AM"), ("vm-t", "VM"), ("n1-late-fusion", "N1") })
            Assert.Equal(network, Aver.Inference.Mrpn.MrpnBundle.Load(Path.Combine(out1, "folds", row, "04", "mrpn.safetensors")).Name);

        // End to end N0 into another folder: the crops come from the cache, nothing is detected again.
        var (code2, stdout2, stderr2) = CliRun.Run("evaluate", Config("n0", "type: mrpn, variant: N0"), "--out", Path.Combine(_dir, "n0"), "--cache", cache, "--folds", "04");
        Assert.True(code2 == 0, stderr2);
        Assert.Contains("(0 detected, 6 from the cache)", stderr2);
        Assert.Contains("N0 (end-to-end) 04", stdout2);
    }

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void AFoldsMrpnBundleIsAModelThatPredictAnswersWith()
    {
        string run = Path.Combine(_dir, "n2");
        var (code, _, stderr) = CliRun.Run("evaluate", Config("n2", "type: mrpn, variant: N2"), "--out", run, "--cache", Path.Combine(_dir, "cache"), "--folds", "04");
        Assert.True(code == 0, stderr);
        var bundle = Assert.Single(Directory.GetFiles(run, "mrpn.safetensors", SearchOption.AllDirectories));
        string fold = Path.GetDirectoryName(bundle)!;
        Assert.True(File.Exists(Path.Combine(fold, "best.safetensors")));

        // The fold's folder is the model: predict finds the bundle beside the best weights and the checkpoint.
        string clip = Path.Combine(TestPaths.Data("ravdess", "av"), "01-01-08-01-01-01-04.mp4");
        var (pcode, json, perr) = CliRun.Run("predict", clip, "--model", fold, "--json");
        Assert.True(pcode == 0, perr);
        var root = System.Text.Json.JsonDocument.Parse(json).RootElement;
        Assert.StartsWith("MRPN N2 (audio-visual) over ravdess8 (8 classes)", root.GetProperty("model").GetString());
        var answer = root.GetProperty("clips")[0];
        Assert.Contains(answer.GetProperty("label").GetString(), Aver.Data.Labels.LabelSpaces.Ravdess8.Names);
        Assert.Equal(8, answer.GetProperty("probabilities").EnumerateObject().Count());
        var branch = answer.GetProperty("branches")[0];
        Assert.Equal(("audio+visual", "used"), (branch.GetProperty("name").GetString(), branch.GetProperty("status").GetString()));
        Assert.True(answer.GetProperty("timeline").GetArrayLength() >= 4, json);

        var (tcode, text, _) = CliRun.Run("predict", clip, "--model", bundle);
        Assert.Equal(0, tcode);
        Assert.Contains("model: MRPN N2", text);
        Assert.Contains("  timeline", text);
    }

    [Fact]
    public void ABadConfigExitsWithOneLineNamingTheKey()
    {
        var config = Config("bad", "type: mrpn, variant: N1");
        File.WriteAllText(config, File.ReadAllText(config).Replace("video_input: [1, 32, 32]", "video_input: [3, 32, 32]"));
        var (code, _, stderr) = CliRun.Run("evaluate", config, "--out", Path.Combine(_dir, "bad"));
        Assert.Equal(1, code);
        Assert.Contains("model.video_input", stderr);
        Assert.Contains("bad.yaml", stderr);

        var classifier = Config("fer", "type: classifier, modality: video");
        var (code2, _, stderr2) = CliRun.Run("evaluate", classifier, "--out", Path.Combine(_dir, "fer"));
        Assert.Equal(1, code2);
        Assert.Contains("model.type 'classifier'", stderr2);

        // A device is not an empty config: refused at once instead of read forever.
        var (code3, _, stderr3) = CliRun.Run("evaluate", "/dev/zero", "--out", Path.Combine(_dir, "zero"));
        Assert.Equal(1, code3);
        Assert.Contains("/dev/zero", stderr3);
        Assert.Contains("is a character device, not a regular file", stderr3);
    }
}
