using Aver.Training.Config;
using Aver.Training.Training;

namespace Aver.Training.Tests.Config;

public sealed class ConfigTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "aver-config-" + Guid.NewGuid().ToString("N"));

    public ConfigTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Valid = """
        name: smoke
        seed: 3
        dataset: { kind: ravdess, path: data/ravdess }
        labels: ravdess8
        protocol: { name: ravdess-pairs }
        model: { type: mrpn, variant: N1, extractor_width: 8 }
        strategy: late-fusion
        training: { epochs: 5, learning_rate: 1.0e-4, time_augmentation: false, best_by: accuracy }
        """;

    private string Write(string yaml, string name = "exp.yaml")
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void AValidConfigLoadsWithDefaultsAndResolvedPaths()
    {
        var c = ExperimentConfigLoader.Load(Write(Valid));
        Assert.Equal("smoke", c.Name);
        Assert.Equal("N1", c.Model!.Variant);
        Assert.Equal(Path.Combine(_dir, "data", "ravdess"), c.Dataset!.Path);
        Assert.Equal(3UL, c.Protocol!.Seed);
        Assert.Equal(128, c.Model.ScoringHidden);
        Assert.Equal(512, c.Features.Audio.NFft); // MRPN §4.4 default

        var options = ExperimentConfigLoader.TrainerOptions(c);
        Assert.Equal(5, options.Epochs);
        Assert.Equal(1e-4, options.LearningRate);
        Assert.False(options.Augment);
        Assert.Equal(BestBy.ValidationAccuracy, options.BestBy);
        Assert.Equal(3UL, options.Seed);
        Assert.Equal(2, options.MaxReductions);
    }

    [Fact]
    public void TheResolvedCopyReloadsToTheSameConfig()
    {
        var c = ExperimentConfigLoader.Load(Write(Valid));
        string run = Path.Combine(_dir, "run");
        string resolved = ExperimentConfigLoader.WriteResolved(c, run);
        Assert.Equal(Path.Combine(run, "config.yaml"), resolved);
        var again = ExperimentConfigLoader.Load(resolved);
        Assert.Equal(ExperimentConfigLoader.ToYaml(c), ExperimentConfigLoader.ToYaml(again));
        string text = File.ReadAllText(resolved);
        Assert.Contains("segment_hop_samples: 3200", text);
        Assert.Contains("best_by: accuracy", text);          // enums by their config names
        Assert.Contains("time_augmentation: false", text);   // the record's Augment under its config name
        Assert.DoesNotContain("frames:", text);             // computed properties are not keys
        Assert.DoesNotContain("seed: 0", text);             // the trainer's seed is the experiment's, not a training key
    }

    [Fact]
    public void SectionsBindToTheOptionRecordsTheyDescribe()
    {
        var c = ExperimentConfigLoader.Load(Write(Valid.Replace("strategy: late-fusion", "strategy: end-to-end")
            .Replace("model: { type: mrpn, variant: N1, extractor_width: 8 }", "model: { type: audio-cnn }")
            .Replace("best_by: accuracy }", "best_by: accuracy, patience: 0, momentum: 0.8 }")
            + "\nfeatures: { log_mel: { mels: 40, hop_length: 320, mel_scale: slaney, log_offset: 1.0e-3 } }\n"));
        Assert.Equal(new Aver.Features.LogMel.LogMelOptions { Mels = 40, HopLength = 320, MelScale = Aver.Features.Spectral.MelScale.Slaney, LogOffset = 1e-3f }, c.Features.LogMel);
        var t = ExperimentConfigLoader.TrainerOptions(c);
        Assert.Null(t.EarlyStoppingPatience);   // patience 0: never stops early
        Assert.Equal(0.8, t.Momentum);
        var e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(Valid + "\nfeatures: { audio: { frames: 100 } }\n")));
        Assert.Equal("features.audio.frames", e.Errors.Single().Key);   // a computed property is not a key
        e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(Valid.Replace("best_by: accuracy", "best_by: fastest"))));
        Assert.Equal(("training.best_by", 8), (e.Errors.Single().Key, e.Errors.Single().Line));
        Assert.Contains("'fastest' is not one of loss, accuracy, accuracy-then-loss", e.Message);
    }

    [Fact]
    public void ConfigsWithTheOlderKeysLoadToTheSameOptionsAndRunFoldersStillMatch()
    {
        string now = Valid + "\nfeatures: { audio: { segment_samples: 8000, segment_hop_samples: 1600, n_fft: 512, hop_length: 32, bins: 256 } }\n";
        string old = Valid + "\nfeatures: { audio: { window: 512, hop: 32, segment_seconds: 0.5, segment_hop_seconds: 0.1, standardize: true } }\n";
        var a = ExperimentConfigLoader.Load(Write(now, "now.yaml"));
        var b = ExperimentConfigLoader.Load(Write(old, "old.yaml"));
        Assert.Equal(a.Features.Audio, b.Features.Audio);
        Assert.Equal(ExperimentConfigLoader.ToYaml(a), ExperimentConfigLoader.ToYaml(b));
        // A run folder whose resolved copy has the older keys is the same run.
        string run = Path.Combine(_dir, "old-run");
        Directory.CreateDirectory(run);
        string resolvedBefore = ExperimentConfigLoader.ToYaml(a).Replace("segment_samples: 8000", "segment_seconds: 0.5")
            .Replace("segment_hop_samples: 1600", "segment_hop_seconds: 0.1").Replace("n_fft: 512", "window: 512").Replace("hop_length: 32", "hop: 32")
            .Replace("    bins: 256\n", "");
        Assert.DoesNotContain("bins:", resolvedBefore);
        File.WriteAllText(Path.Combine(run, ExperimentConfigLoader.ResolvedFileName), resolvedBefore);
        Aver.Training.Experiments.RunFolderGuard.ThrowIfOtherRun(run, a, "now.yaml");

        var bad = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(old.Replace("standardize: true", "standardize: false").Replace("segment_seconds: 0.5", "segment_seconds: 0.50001"))));
        Assert.Equal(["features.audio.standardize", "features.audio.segment_seconds"], bad.Errors.Select(x => x.Key).ToList());
        var both = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(old.Replace("hop: 32", "hop: 32, hop_length: 32"))));
        Assert.Contains("older name of hop_length", both.Message);
    }

    [Fact]
    public void AnUnknownKeyIsNamedWithItsSectionAndLine()
    {
        var path = Write(Valid.Replace("extractor_width: 8", "extractor_widht: 8"));
        var e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("model.extractor_widht", e.Message);
        Assert.Equal(6, e.Errors[0].Line);
    }

    [Fact]
    public void EveryBadValueIsListedByItsKey()
    {
        var yaml = Valid.Replace("variant: N1", "variant: N3").Replace("labels: ravdess8", "labels: ravdess9")
            .Replace("epochs: 5", "epochs: 0").Replace("name: ravdess-pairs", "name: ravdess-pairs, params: { k: 1 }");
        var e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(yaml)));
        var keys = e.Errors.Select(x => x.Key).ToList();
        Assert.Equal(["labels", "protocol.params.k", "model.variant", "training.epochs"], keys);
        Assert.Contains("'N3' is not one of N0, N1, N2", e.Message);
        Assert.Contains("exp.yaml", e.Message);
    }

    [Fact]
    public void TheScheduleAndOptimizerAreCheckedAndReachTheTrainer()
    {
        var cosine = ExperimentConfigLoader.Load(Write(Valid.Replace("epochs: 5", "epochs: 5, schedule: cosine, warmup_epochs: 2, optimizer: sgd")));
        var t = ExperimentConfigLoader.TrainerOptions(cosine);
        Assert.Equal((ScheduleKind.Cosine, 2, OptimizerKind.SgdNesterov), (t.Schedule, t.WarmupEpochs, t.Optimizer));
        Assert.Equal(ScheduleKind.Plateau, ExperimentConfigLoader.TrainerOptions(ExperimentConfigLoader.Load(Write(Valid))).Schedule);
        var e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(Valid.Replace("epochs: 5", "epochs: 5, schedule: step, warmup_epochs: 5"))));
        Assert.Equal(["training.schedule"], e.Errors.Select(x => x.Key).ToList());   // a value that does not convert stops the reading
        e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(Valid.Replace("epochs: 5", "epochs: 5, warmup_epochs: 2"))));
        Assert.Equal(["training.warmup_epochs"], e.Errors.Select(x => x.Key).ToList());
    }

    [Fact]
    public void A_weight_average_decay_reaches_the_trainer_and_a_bad_one_is_an_error()
    {
        Assert.Null(ExperimentConfigLoader.TrainerOptions(ExperimentConfigLoader.Load(Write(Valid))).EmaDecay);
        var ema = ExperimentConfigLoader.Load(Write(Valid.Replace("epochs: 5", "epochs: 5, ema_decay: 0.99")));
        Assert.Equal(0.99, ExperimentConfigLoader.TrainerOptions(ema).EmaDecay);
        var e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(Valid.Replace("epochs: 5", "epochs: 5, ema_decay: 1"))));
        Assert.Equal("training.ema_decay", Assert.Single(e.Errors).Key);
        var swa = ExperimentConfigLoader.Load(Write(Valid.Replace("epochs: 5", "epochs: 5, swa_epochs: 2")));
        Assert.Equal(2, ExperimentConfigLoader.TrainerOptions(swa).SwaEpochs);
        e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(Valid.Replace("epochs: 5", "epochs: 5, swa_epochs: 6"))));
        Assert.Equal("training.swa_epochs", Assert.Single(e.Errors).Key);
        e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(Valid.Replace("epochs: 5", "epochs: 5, swa_epochs: 2, ema_decay: 0.9"))));
        Assert.Equal("training.swa_epochs", Assert.Single(e.Errors).Key);
        var swaLr = ExperimentConfigLoader.Load(Write(Valid.Replace("epochs: 5", "epochs: 5, swa_epochs: 2, swa_lr: 1.0e-4, schedule: cosine")));
        Assert.Equal(1e-4, ExperimentConfigLoader.TrainerOptions(swaLr).SwaLr);
        e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(Valid.Replace("epochs: 5", "epochs: 5, swa_lr: 1.0e-4, schedule: cosine"))));
        Assert.Equal("training.swa_lr", Assert.Single(e.Errors).Key);      // without swa_epochs
        e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(Valid.Replace("epochs: 5", "epochs: 5, swa_epochs: 4, swa_lr: 1.0e-4, schedule: cosine, warmup_epochs: 1"))));
        Assert.Equal("training.swa_lr", Assert.Single(e.Errors).Key);      // no epoch left to anneal in
        var bn = ExperimentConfigLoader.Load(Write(Valid.Replace("epochs: 5", "epochs: 5, swa_epochs: 2, swa_update_batch_norm: true")));
        Assert.True(ExperimentConfigLoader.TrainerOptions(bn).SwaUpdateBatchNorm);
        e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(Valid.Replace("epochs: 5", "epochs: 5, swa_update_batch_norm: true"))));
        Assert.Equal("training.swa_update_batch_norm", Assert.Single(e.Errors).Key);
    }

    [Fact]
    public void MissingSectionsAndMismatchedStrategyAreErrors()
    {
        var path = Write("""
            name: x
            model: { type: unimodal, modality: audio }
            strategy: late-fusion
            """);
        var e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(path));
        var keys = e.Errors.Select(x => x.Key).ToList();
        Assert.Contains("dataset", keys);
        Assert.Contains("labels", keys);
        Assert.Contains("protocol", keys);
        Assert.Contains("strategy", keys);
    }

    [Fact]
    public void BadYamlAndWrongTypesNameTheLine()
    {
        var e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(Valid.Replace("seed: 3", "seed: three"))));
        Assert.Equal(2, e.Errors[0].Line);
        Assert.Contains("three", e.Message);
        var missing = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Path.Combine(_dir, "nope.yaml")));
        Assert.Contains("nope.yaml: (file): does not exist", missing.Message);
        Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write("")));
    }

    [Theory]
    [InlineData("name: [x\nseed: 1\n", 1, "expected a single value here")]
    [InlineData("name: x\ntraining: {epochs: [1, 2]}\n", 2, "expected a whole number here")]
    [InlineData("name: x\ntraining: 5\n", 2, "expected a section (key: value lines) here, found a single value")]
    [InlineData("name: x\nseed: abc\n", 2, "'abc' is not a valid value here (a number is expected)")]
    public void YamlErrorsSayWhatIsExpectedWithoutDotNetTypeNames(string yaml, int line, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(yaml)));
        Assert.Equal(line, e.Errors[0].Line);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("System.", e.Message);
        Assert.DoesNotContain("Aver.", e.Message);
        Assert.DoesNotContain("PublicKeyToken", e.Message);
    }

    [Theory]
    [InlineData("name: x\ntraining:\n")]                                        // fuzz crashes: NullReferenceException in the validator
    [InlineData("name: x\nfeatures: {audio: ~, video: }\n")]
    [InlineData("name: x\nprotocol: {name: loso, params: }\n")]
    [InlineData("name: x\nstrategy: ~\nmodel: {type: mrpn, variant: N1, audio_input: , aggregator: }\n")]
    [InlineData("name: x\nmodel: !<a b> {type: mrpn}\n")]                       // fuzz crash: ArgumentException from the YAML parser
    [InlineData("...\nfeaname: Fuzz\nseed: 3\ndata 3\ndata\u007f\0t:")]           // fuzz crash (10-minute round): InvalidOperationException "The scanner should contain no more tokens"
    [InlineData("!!!!!!!!!!!!!!!!!A[\n")]
    public void EmptyValuesAndBadTagsAreConfigErrorsNeverACrash(string yaml)
    {
        var path = Write(yaml);
        var e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AnEmptySectionMeansItsDefaults()
    {
        var c = ExperimentConfigLoader.Parse("name: x\ntraining:\nfeatures: {audio: ~}\nstrategy:\n", "x.yaml");
        Assert.Equal(100, c.Training.Epochs);
        Assert.Equal(16000, c.Features.Audio.SampleRate);
        Assert.Equal("end-to-end", c.Strategy);
        Assert.Null(c.Model);   // a required section stays absent, so the validator says it is required
    }

    [Fact]
    public void TheRepositoryExampleConfigsValidate()
    {
        var folder = Path.Combine(TestPaths.RepoRoot, "configs");
        var files = Directory.GetFiles(folder, "*.yaml");
        Assert.NotEmpty(files);
        foreach (var f in files)
        {
            var c = ExperimentConfigLoader.Load(f);
            Assert.False(string.IsNullOrEmpty(c.Name), f);
        }
    }

    [Fact]
    public void VideoAndLateFusionKeysAreCheckedAndNamed()
    {
        var yaml = Valid.Replace("model: { type: mrpn, variant: N1, extractor_width: 8 }",
                "model: { type: mrpn, variant: N1, extractor_width: 8, video_input: [3, 64, 64], audio_input: [1, 100, 100], visual_width: 0 }")
            + "\nfeatures: { video: { face_size: 48, color: gray } }\n";
        var e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(yaml)));
        var keys = e.Errors.Select(x => x.Key).ToList();
        Assert.Contains("model.visual_width", keys);
        Assert.Contains("model.audio_input", keys);
        Assert.Contains("model.video_input", keys);
        Assert.Contains("expected [1, 48, 48]", e.Message);

        var audioOnly = Write("""
            name: am
            dataset: { kind: ravdess, path: data }
            labels: ravdess8
            protocol: { name: loso }
            model: { type: unimodal, modality: audio, visual_init: fer.safetensors, audio_network: am.safetensors }
            """, "am.yaml");
        var errors = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(audioOnly)).Errors.Select(x => x.Key).ToList();
        Assert.Equal(["model.audio_network", "model.visual_init"], errors);
    }

    [Fact]
    public void MrpnSettingsFollowTheConfigAndTakePixelStatisticsFromTheVisualInit()
    {
        string fer = Path.Combine(_dir, "fer.safetensors");
        new Aver.Models.ResNet.ResNet18(new Aver.Models.ResNet.ResNetConfig(InChannels: 1, Width: 4, Classes: 7), new Aver.Tensors.RandomStream(1))
            .Save(fer, new Dictionary<string, string> { ["pixel_mean"] = "0.51", ["pixel_std"] = "0.26" });
        var yaml = Valid.Replace("model: { type: mrpn, variant: N1, extractor_width: 8 }",
                "model: { type: mrpn, variant: N1, extractor_width: 8, visual_width: 4, video_input: [1, 48, 48], audio_input: [1, 32, 31], visual_init: fer.safetensors }")
            + "\nfeatures: { video: { face_size: 48, color: gray, fps: 5 } }\n";
        var s = Aver.Training.Experiments.MrpnExperimentSettings.FromConfig(ExperimentConfigLoader.Load(Write(yaml)));
        Assert.Equal(Aver.Training.Experiments.MrpnModelKind.Fusion, s.Kind);
        Assert.Equal(Models.Mrpn.FusionVariant.N1, s.Variant);
        Assert.Equal(Aver.Training.Experiments.FusionStrategy.LateFusion, s.Strategy);
        Assert.Equal(8, s.AudioPool);
        Assert.Equal(new Aver.Training.Experiments.BranchSettings(4, 1, Models.Mrpn.AggregatorKind.Lstm, 256, fer), s.Visual);
        Assert.Equal(8, s.Audio.Width);
        Assert.Equal(48, s.Video.FaceSize);
        Assert.Equal(5, s.Video.Fps);
        Assert.Equal(0.51f, s.Video.PixelMean);
        Assert.Equal(0.26f, s.Video.PixelStd);
        Assert.Equal(new Features.Mrpn.MrpnAudioOptions(), s.AudioFeatures); // the defaults are the paper's front end
    }

    [Fact]
    public void A_visual_branch_started_from_a_small_stem_fer_file_takes_its_stem()
    {
        // aver pretrain --stem small writes a resnet18 spec whose stem is small: the branch must be built alike to load it.
        string fer = Path.Combine(_dir, "fer-small.safetensors");
        var architecture = new Models.ResNet.ResNetArchitecture(1, 4, Models.ResNet.ResNetStem.Small);
        Models.Spec.ModelFile.Save(fer, architecture.Build(7, new Aver.Tensors.RandomStream(1)), new Models.Spec.ModelSpec(
            Models.ResNet.ResNetArchitecture.Family, Models.Spec.ModelSpec.ToJson(architecture), new Models.Spec.LabelSpec("fer7", Aver.Data.Labels.LabelSpaces.Fer7.Names.ToArray()),
            new Dictionary<string, System.Text.Json.Nodes.JsonObject>()));
        var yaml = Valid.Replace("model: { type: mrpn, variant: N1, extractor_width: 8 }",
                "model: { type: mrpn, variant: N1, extractor_width: 8, visual_width: 4, video_input: [1, 48, 48], audio_input: [1, 32, 31], visual_init: fer-small.safetensors }")
            .Replace("strategy: late-fusion", "strategy: end-to-end")
            + "\nfeatures: { video: { face_size: 48, color: gray, fps: 5 } }\n";
        var s = Aver.Training.Experiments.MrpnExperimentSettings.FromConfig(ExperimentConfigLoader.Load(Write(yaml)));
        Assert.Equal(Models.ResNet.ResNetStem.Small, s.Visual.Stem);
        Assert.Equal(Models.ResNet.ResNetStem.ImageNet, s.Audio.Stem);
        var network = Aver.Training.Experiments.MrpnModels.Fusion(s.Visual, s.Audio, s.Variant, 8, 8, 0, new Aver.Tensors.RandomStream(2));   // loads the file
        Assert.Equal(Models.ResNet.ResNetStem.Small, network.Visual.Extractor.Config.Stem);
        // The fold model's spec says so, and prediction rebuilds the same network from it.
        var spec = s.ToSpec(Aver.Data.Labels.LabelSpaces.Ravdess8);
        Assert.Equal("small", spec.Architecture["visual"]!["stem"]!.GetValue<string>());
        Assert.Null(s.ToSpec(Aver.Data.Labels.LabelSpaces.Ravdess8).Architecture["audio"]!["stem"]);
    }

    [Fact]
    public void AudioFeaturesDecideTheSegmentShapeTheModelMustDeclare()
    {
        var yaml = Valid.Replace("model: { type: mrpn, variant: N1, extractor_width: 8 }", "model: { type: unimodal, modality: audio, audio_input: [1, 64, 125] }")
            .Replace("strategy: late-fusion", "strategy: end-to-end")
            + "\nfeatures: { audio: { n_fft: 256, bins: 128, hop_length: 64, segment_samples: 16000 } }\n";
        var c = ExperimentConfigLoader.Load(Write(yaml));
        var s = Aver.Training.Experiments.MrpnExperimentSettings.FromConfig(c);
        Assert.Equal(2, s.AudioPool);    // 128 x 250 segments pooled by 2
        Assert.Equal(128, s.AudioFeatures.Bins);
        Assert.Equal(256, s.AudioFeatures.NFft);

        var bad = yaml.Replace("audio_input: [1, 64, 125]", "audio_input: [1, 128, 125]").Replace("segment_samples: 16000", "segment_samples: 16000, segment_hop_samples: 3210");
        var keys = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(bad))).Errors.Select(x => x.Key).ToList();
        Assert.Equal(["model.audio_input", "features.audio.segment_hop_samples"], keys);
    }
}

public sealed class AvefConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-avef-config-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string yaml)
    {
        string path = Path.Combine(_dir, "avef.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private const string Head = """
        name: avef
        seed: 1
        dataset: { kind: ravdess, path: data }
        labels: basic6
        protocol: { name: losgo, params: { k: 4 } }

        """;

    [Fact]
    public void AnAvefConfigLoadsWithItsSection()
    {
        var c = ExperimentConfigLoader.Load(Write(Head + "model: { type: avef, modality: audio, avef: { case: 2, dbn_hidden: [64, 32], transfer_from: src.safetensors } }"));
        Assert.Equal(2, c.Model!.Avef!.Case);
        Assert.Equal([64, 32], c.Model.Avef.DbnHidden);
        Assert.Equal(Path.Combine(_dir, "src.safetensors"), c.Model.Avef.TransferFrom);
        var s = Aver.Training.Experiments.AvefEvaluation.Settings(c, epochs: 2);
        Assert.Null(s.Visual);
        Assert.Equal(2, s.WholeEpochs);
        Assert.Equal(Aver.Models.Svm.SvmKernel.Polynomial, s.SvmParameters.Kernel);
    }

    [Fact]
    public void BadAvefFieldsAreNamed()
    {
        var e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(Head +
            "model: { type: avef, modality: video, avef: { case: 3, audio_width: 0, dbn_hidden: [], whole_epochs: 0, svm_c: -1, min_speech_fraction: 2 } }")));
        var keys = e.Errors.Select(x => x.Key).ToList();
        foreach (var key in new[] { "model.modality", "model.avef.case", "model.avef.audio_width", "model.avef.dbn_hidden", "model.avef.whole_epochs", "model.avef.svm_c", "model.avef.min_speech_fraction" })
            Assert.Contains(key, keys);
    }

    [Fact]
    public void AnUnknownAvefKeyIsNamedWithItsSection()
    {
        var e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(Head + "model:\n  type: avef\n  avef:\n    dbn_hiden: [8]\n")));
        Assert.Equal("model.avef.dbn_hiden", e.Errors[0].Key);
    }

    [Fact]
    public void TheAvefSectionBelongsToAvefModelsOnly()
    {
        var e = Assert.Throws<ConfigException>(() => ExperimentConfigLoader.Load(Write(Head + "model: { type: unimodal, modality: audio, avef: { case: 2 } }")));
        Assert.Contains("model.avef", e.Errors.Select(x => x.Key));
    }

    [Fact]
    public void TheShippedAvefConfigsAreValid()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "configs"), "avef-*.yaml"))
        {
            var c = ExperimentConfigLoader.Load(file);
            Assert.Equal("avef", c.Model!.Type);
            Assert.Equal(Path.GetFileNameWithoutExtension(file), c.Name);
        }
    }
}
