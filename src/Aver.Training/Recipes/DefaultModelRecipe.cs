using System.Diagnostics;
using System.Globalization;
using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features.Mrpn;
using Aver.Models.AudioCnn;
using Aver.Models.Calibration;
using Aver.Models.Spec;
using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;
using Aver.Training.Config;
using Aver.Training.Data;
using Aver.Training.Experiments;
using Aver.Training.Pretraining;
using Aver.Training.Tasks;
using Aver.Training.Training;

namespace Aver.Training.Recipes;

/// <summary>What one branch measured on its validation data: accuracy, the NLL before and after temperature scaling, and the fitted T.</summary>
public sealed record BranchValidation(string Data, int Examples, double Accuracy, double NllRaw, double NllCalibrated, double Temperature, int Classes)
{
    /// <summary>Nats the calibrated branch gains over a uniform guess: ln C − NLL (the basis of its fusion weight), at least 0.</summary>
    public double InformationGain => Math.Max(0, Math.Log(Classes) - NllCalibrated);
}

/// <summary>What <see cref="DefaultModelRecipe.Run"/> made and measured.</summary>
public sealed record DefaultModelResult(string ModelPath, BranchValidation Audio, BranchValidation Visual, double AudioWeight, double VisualWeight,
    double VisualTestAccuracy, TrainingResult AudioTraining, long Bytes, TimeSpan Elapsed, VisualSource? VisualFrom = null)
{
    /// <summary>The audio branch's network, in words (for the card).</summary>
    public string AudioNetwork { get; init; } = "";

    /// <summary>How the audio branch was trained, in words: best epoch, optimiser, schedule, seed.</summary>
    public string AudioRecipe { get; init; } = "";
}

/// <summary>
/// One log-mel network of the audio branch: the network and the front end it reads, its training (empty for a network
/// taken from a bundle), its raw scores on the validation clips, and its descriptions. <see cref="Recipe"/> is how the
/// network itself was trained, wherever that was; <see cref="KeptFrom"/> names the bundle member it was taken from, if
/// any. The two stay apart so a network kept through several rebuilds still records its own training, not a chain of
/// the bundles it passed through.
/// </summary>
internal sealed record LogMelMember(AudioCnnNetwork Network, LogMelFrontEnd FrontEnd, TrainingResult Training, float[] Logits, int[] Targets,
    string Description, string Recipe, string? KeptFrom = null)
{
    /// <summary>The recipe as the branch's description gives it: its training, and where it was kept from.</summary>
    public string Summary => KeptFrom is null ? Recipe : $"{Recipe} (kept whole from `{KeptFrom}`; temperature and weight fitted anew)";
}

/// <summary>
/// A trained audio branch before its fusion weight is known: its validation, training history, parts given a
/// calibration, descriptions, and each network's own recipe (in branch order; stored per network in the bundle).
/// </summary>
internal sealed record AudioBranchTraining(BranchValidation Validation, TrainingResult Training, Func<BranchCalibration, IAudioBranchParts> Parts,
    string Network, string Recipe, IReadOnlyList<string> MemberRecipes);

/// <summary>
/// The FER2013 network the visual branch came from, as its file says: its architecture, the command that trained it
/// (when the file records one), its best epoch and its ten-crop test accuracy (when measured).
/// </summary>
public sealed record VisualSource(ResNetConfig Config, string? Command, int? BestEpoch, double? TenCropTestAccuracy)
{
    /// <summary>The other networks of an ensemble this one leads (none for a single network).</summary>
    public IReadOnlyList<VisualSource> Others { get; init; } = [];

    /// <summary>"ResNet-18, width 16, small stem (3x3 stride 1, no max pool)", or the ensemble of such networks.</summary>
    public string Network => Others.Count == 0 ? One
        : $"ensemble of {Others.Count + 1} networks (mean probability): {string.Join("; ", [One, .. Others.Select(o => o.One)])}";

    private string One => $"ResNet-18, width {Config.Width}, " +
        (Config.Stem == ResNetStem.Small ? "small stem (3x3 stride 1, no max pool)" : "ImageNet stem (7x7 stride 2, max pool)");
}

/// <summary>
/// Makes the default model: the visual branch is the FER2013 ResNet-18 of <c>aver pretrain</c> (MRPN §5.2), the audio
/// branch MRPN's AM (or, with <see cref="DefaultModelOptions.AudioConfig"/>, the log-mel CNN of an audio-cnn experiment
/// config) trained on RAVDESS speech of actors 01-14 with actors 15-16 as validation speakers (calm has no
/// FER counterpart and is left out), both predicting FER2013's seven classes. No paired audio-video corpus is at hand,
/// so the branches are fused at the decision level: each branch's temperature is fitted on its own validation data,
/// and its weight is its calibrated information gain over chance there (ln C − NLL), normalised to sum to 1.
/// </summary>
public static class DefaultModelRecipe
{
    public static LabelSpace Labels => LabelSpaces.Fer7;

    public static DefaultModelResult Run(DefaultModelOptions o, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        // A bad audio config or bundle is found before an hour of visual pre-training, not after it.
        var audioFrom = o.AudioFrom is { } fromSpec ? AudioBranchFromBundle.Open(fromSpec) : null;
        var audioConfigs = o.AudioConfig is { } configPath ? new[] { configPath }.Concat(o.AudioEnsemble).Select(p => (p, AudioConfig(p))).ToList() : null;
        Directory.CreateDirectory(o.WorkDir);

        // Visual branch: FER2013 pre-training (resumable), then temperature on its own hold-out.
        var ferOptions = new PretrainOptions(o.FerDir, o.VisualCheckpoint ?? Path.Combine(o.WorkDir, $"fer-resnet18-w{o.FerWidth}.safetensors"),
            Width: o.FerWidth, Epochs: o.FerEpochs, Seed: o.FerSeed, LimitPerClass: o.Limit);
        // A checkpoint that is not there yet is pre-trained into; BUNDLE#visual.N names a network already in a bundle.
        if (o.VisualCheckpoint is null || !File.Exists(DefaultModelBundle.FileOf(BundleMemberName.Split(o.VisualCheckpoint, "visual").Bundle)))
        {
            log.WriteLine($"visual branch: pre-training ResNet-18 (width {o.FerWidth}) on FER2013 into {ferOptions.Output}");
            FerPretraining.Run(ferOptions, new PlainTextProgress(log, "  fer "), log);
        }
        // A bundle named by --visual brings every network of its visual branch; the first network leads.
        var networks = new[] { ferOptions.Output }.Concat(o.VisualEnsemble).SelectMany(FerNetwork.LoadAll).ToList();
        var fer = networks[0];
        // The calibration hold-out is the one the file's pre-training drew (its split seed when it records one).
        if (ulong.TryParse(fer.SplitSeed, CultureInfo.InvariantCulture, out ulong splitSeed)) ferOptions = ferOptions with { SplitSeed = splitSeed };
        var ferMeta = fer.Metadata;
        var faceInput = new FaceInput(48, fer.PixelMean, fer.PixelStd, VerticalShift: o.FaceShift);
        // Further networks answer with it as an ensemble: the same hold-out (seed) and face standardisation, or the
        // calibration below would see some member's training images or feed it faces scaled for another.
        var members = networks.Skip(1).ToList();
        foreach (var m in members) m.CheckSameInputAs(fer);
        Module visualNet = members.Count == 0 ? fer.Network : new Ensemble([fer.Network, .. members.Select(m => m.Network)]);
        if (members.Count > 0) log.WriteLine($"visual branch: an ensemble of {members.Count + 1} networks ({string.Join(", ", networks.Select(n => n.Path))}), their mean probability");
        log.WriteLine("visual branch: calibrating on the FER2013 training images pre-training held out");
        var visual = CalibrateVisual(visualNet, faceInput, FerPretraining.ValidationItems(ferOptions));
        log.WriteLine($"  {visual.Examples} images: accuracy {visual.Accuracy:P1}, NLL {visual.NllRaw:F3} -> {visual.NllCalibrated:F3} at T = {visual.Temperature:F3}");

        // Audio branch: AM on RAVDESS speech in the FER label space.
        var catalog = DatasetReader.Open(o.RavdessDir, "ravdess").Where(i => i.Modality == Aver.Data.Catalogs.Modality.Audio).Relabel(LabelMaps.RavdessToFer7);
        var items = catalog.Items;
        var train = Pick(items, i => !o.ValidationSpeakers.Contains(i.Speaker ?? ""), o.Limit);
        var validation = Pick(items, i => o.ValidationSpeakers.Contains(i.Speaker ?? ""), o.Limit);
        if (train.Length == 0 || validation.Length == 0)
            throw new InvalidDataException($"{o.RavdessDir}: needs RAVDESS audio-only speech of training and validation actors ({string.Join(", ", o.ValidationSpeakers)}); found {train.Length} and {validation.Length} clips");
        var audioBranch = audioFrom is not null || audioConfigs is not null ? LogMelBranch(o, audioFrom, audioConfigs ?? [], catalog, train, validation, log)
            : TrainAm(o, catalog, train, validation, log);
        var audio = audioBranch.Validation;
        log.WriteLine($"  validation speakers: accuracy {audio.Accuracy:P1}, NLL {audio.NllRaw:F3} -> {audio.NllCalibrated:F3} at T = {audio.Temperature:F3}");

        // Weights from each branch's calibrated information gain on its validation data.
        double ga = audio.InformationGain, gv = visual.InformationGain;
        double wa = ga + gv > 0 ? ga / (ga + gv) : 0.5, wv = 1 - wa;
        // A member's own test accuracy is not the ensemble's: that one is measured with `aver score` on the bundle.
        double testAccuracy = members.Count > 0 ? double.NaN : double.Parse(ferMeta.GetValueOrDefault("test_accuracy", "NaN"), CultureInfo.InvariantCulture);
        Directory.CreateDirectory(o.OutDir);
        var modelPath = Path.Combine(o.OutDir, "model.safetensors");
        var extra = new Dictionary<string, string>
        {
            ["audio.trained_on"] = $"RAVDESS speech, actors {Speakers(items, train)} ({train.Length} clips, calm excluded)",
            [DefaultModelBundle.AudioRecipeKey] = audioBranch.Recipe,
            ["audio.validation"] = $"RAVDESS actors {Speakers(items, validation)} ({validation.Length} clips): accuracy {audio.Accuracy:F4}",
            ["visual.trained_on"] = ferMeta.GetValueOrDefault("trained_on", "FER2013 train") + (members.Count > 0 ? $" (each of the {members.Count + 1} networks of the ensemble)" : ""),
            ["visual.validation"] = $"FER2013 held-out training images ({visual.Examples}): accuracy {visual.Accuracy:F4}",
            ["visual.test_accuracy"] = testAccuracy.ToString("F4", CultureInfo.InvariantCulture),
            [DefaultModelBundle.VisualSplitSeedKey] = ferOptions.EffectiveSplitSeed.ToString(CultureInfo.InvariantCulture),
            ["fusion"] = "weighted average of temperature-scaled probabilities; weights = calibrated information gain on each branch's validation data",
            ["licence"] = "trained on RAVDESS (CC BY-NC-SA 4.0) and FER2013 (research use): non-commercial use only",
        };
        for (int i = 0; i < audioBranch.MemberRecipes.Count; i++) extra[DefaultModelBundle.AudioMemberRecipeKey(i)] = audioBranch.MemberRecipes[i];
        DecisionFusionWriter.Save(modelPath, Labels,
            audioBranch.Parts(new BranchCalibration(audio.Temperature, wa)),
            new VisualBranchParts(visualNet, Labels, faceInput, new BranchCalibration(visual.Temperature, wv)),
            new Provenance(Data: $"{o.FerDir}; {o.RavdessDir}", Command: o.Command), extra);
        var source = fer.Source with { Others = members.Select(m => m.Source).ToList() };
        var result = new DefaultModelResult(modelPath, audio, visual, wa, wv, testAccuracy, audioBranch.Training, new FileInfo(modelPath).Length, clock.Elapsed, source)
        {
            AudioNetwork = audioBranch.Network, AudioRecipe = audioBranch.Recipe,
        };
        AtomicFile.WriteAllText(Path.Combine(o.OutDir, "labels.txt"), string.Join("\n", Labels.Names) + "\n");
        AtomicFile.WriteAllText(Path.Combine(o.OutDir, "MODEL_CARD.md"), ModelCard.Write(o, result, train.Length, validation.Length, Speakers(items, train), Speakers(items, validation)));
        return result;
    }

    /// <summary>The audio-cnn experiment config at <paramref name="path"/>; another model type is an error naming the file.</summary>
    private static ExperimentConfig AudioConfig(string path)
    {
        var config = ExperimentConfigLoader.Load(path);
        return config.Model?.Type == AudioCnnArchitecture.Family ? config
            : throw new ArgumentException($"{path}: the audio branch's config must be of model.type {AudioCnnArchitecture.Family}, not '{config.Model?.Type}'");
    }

    /// <summary>MRPN's AM (the default audio branch), trained with <paramref name="o"/>'s settings and early-stopped on the validation speakers.</summary>
    private static AudioBranchTraining TrainAm(DefaultModelOptions o, Catalog catalog, int[] train, int[] validation, TextWriter log)
    {
        var items = catalog.Items;
        log.WriteLine($"audio branch: MRPN AM on {train.Length} RAVDESS clips (actors {Speakers(items, train)}), validation {validation.Length} clips (actors {Speakers(items, validation)}); calm left out (no FER counterpart)");
        var pipeline = new MrpnAudioPipeline(new MrpnAudioOptions(), o.Audio.Pool);
        var set = new AudioClipSet(items, Labels, pipeline);
        var network = o.Audio.Build(Labels.Count, new RandomStream(o.AudioSeed).Fork("init"));
        var trainer = new Trainer<StepSequence>(new UnimodalTask(network), new TrainerOptions
        {
            Epochs = o.AudioEpochs, BatchSize = o.AudioBatch, EvalBatchSize = 16, LearningRate = o.AudioLearningRate,
            PlateauPatience = 3, MaxReductions = 2, EarlyStoppingPatience = 6, BestBy = BestBy.ValidationLoss, Seed = o.AudioSeed, Augment = true,
        }, new PlainTextProgress(log, "  audio "));
        var training = trainer.Fit(new ExampleSubset<StepSequence>(set, train), new ExampleSubset<StepSequence>(set, validation),
            Path.Combine(o.WorkDir, "audio-am"), resume: true);
        var a = o.Audio;
        string recipe = $"best epoch {training.BestEpoch} by validation loss (AdamW lr {o.AudioLearningRate}, batch {o.AudioBatch}, time augmentation, seed {o.AudioSeed})";
        return new AudioBranchTraining(CalibrateAudio(network, set, validation, a.Pool), training,
            calibration => new AudioBranchParts(network, a, Labels, calibration, pipeline.Options),
            $"MRPN AM: ResNet-18 width {a.Width} over 1-s spectrogram segments pooled by {a.Pool}, LSTM {a.Hidden}, scoring {a.ScoringHidden}",
            recipe, [recipe]);
    }

    /// <summary>
    /// A log-mel network trained by the recipe of each audio-cnn experiment config (<paramref name="configs"/>: their model,
    /// features and training sections; their dataset and protocol are not used): band statistics of the training
    /// speakers' clips, the best epoch chosen on the validation speakers, as a fold of that experiment is trained; and the
    /// networks of <paramref name="from"/>'s audio branch, kept whole. With several networks the branch is their
    /// ensemble: the log of the networks' mean probability is calibrated and validated.
    /// </summary>
    private static AudioBranchTraining LogMelBranch(DefaultModelOptions o, IReadOnlyList<AudioBranchFromBundle.Source>? from, IReadOnlyList<(string Path, ExperimentConfig Config)> configs,
        Catalog catalog, int[] train, int[] validation, TextWriter log)
    {
        var members = (from ?? []).SelectMany(f => AudioBranchFromBundle.Members(f, catalog, validation, Labels, log))
            .Concat(configs.Select(c => TrainLogMelMember(o, c.Path, c.Config, catalog, train, validation, log))).ToList();
        var targets = members[0].Targets;
        var training = members.FirstOrDefault(m => m.Training.History.Count > 0)?.Training ?? members[0].Training;
        if (members.Count > 1)
            foreach (var m in members)
                log.WriteLine($"  {m.Description}: validation speakers {Validate("", m.Logits, targets, Labels.Count).Accuracy:P1} alone");
        if (members.Count == 1)
        {
            var m = members[0];
            return new AudioBranchTraining(Validate("RAVDESS validation speakers", m.Logits, targets, Labels.Count), training,
                calibration => new LogMelBranchParts(m.Network, Labels, m.FrontEnd, calibration), m.Description, m.Summary, [m.Recipe]);
        }
        // The ensemble answers with the log of its members' mean probability, as LogMelAudioBranch does at prediction.
        var mean = Ensemble.LogMeanProbability(members.Select(m => m.Logits).ToList(), Labels.Count);
        log.WriteLine($"audio branch: the mean probability of {members.Count} networks");
        return new AudioBranchTraining(Validate("RAVDESS validation speakers", mean, targets, Labels.Count), training,
            calibration => new LogMelEnsembleParts(members.Select(m => (m.Network, m.FrontEnd)).ToList(), Labels, calibration),
            $"the mean probability of {members.Count} networks: " + string.Join("; ", members.Select(m => m.Description)),
            string.Join("; ", members.Select((m, i) => $"network {i}: {m.Summary}")), members.Select(m => m.Recipe).ToList());
    }

    private static LogMelMember TrainLogMelMember(DefaultModelOptions o, string configPath, ExperimentConfig config, Catalog catalog, int[] train, int[] validation, TextWriter log)
    {
        var experiment = AudioCnnExperiment.FromConfig(config);
        var options = ExperimentConfigLoader.TrainerOptions(config);
        var items = catalog.Items;
        log.WriteLine($"audio branch: {experiment.Architecture.Summary} ({configPath}) on {train.Length} RAVDESS clips (actors {Speakers(items, train)}), validation {validation.Length} clips (actors {Speakers(items, validation)}); calm left out (no FER counterpart)");
        var set = experiment.ClipSet(items, Labels);
        set.Prepare();
        var task = experiment.CreateTask(set, train, Labels.Count, options.Seed);
        var training = new Trainer<LogMelBatch>(task, options, new PlainTextProgress(log, "  audio "))
            .Fit(new ExampleSubset<LogMelBatch>(set, train), new ExampleSubset<LogMelBatch>(set, validation), Path.Combine(o.WorkDir, "audio-cnn-" + (config.Name ?? Path.GetFileNameWithoutExtension(configPath))), resume: true);
        var (logits, targets) = Scores(task.Network, task.FrontEnd, set, validation);
        var t = config.Training;
        var arch = experiment.Architecture;
        return new LogMelMember(task.Network, task.FrontEnd, training, logits, targets,
            $"{arch.Summary}{(arch.BlockWidths.Count > 0 ? $" ({arch.BlockWidths.Count} blocks conv3x3-BN-ReLU-maxpool)" : "")} on {experiment.Features.Describe} crops of {experiment.Features.CropSeconds:0.##} s",
            $"best epoch {training.BestEpoch} by validation {ConfigYaml.Name(t.BestBy)} ({ConfigYaml.Name(t.Optimizer)} lr {t.LearningRate}, {ConfigYaml.Name(t.Schedule)} schedule, batch {t.BatchSize}, seed {config.Seed}; the recipe of `{configPath}`)");
    }

    /// <summary>A log-mel network's raw scores [clips, classes] on clips <paramref name="indices"/> of <paramref name="set"/> (their evaluation crops through <paramref name="frontEnd"/>), and their targets.</summary>
    internal static (float[] Logits, int[] Targets) Scores(AudioCnnNetwork network, LogMelFrontEnd frontEnd, LogMelClipSet set, IReadOnlyList<int> indices)
    {
        network.Eval();
        var logits = new List<float>();
        var targets = new List<int>();
        using (GradMode.NoGrad())
            foreach (var batch in set.Batches(indices, 16))
            {
                logits.AddRange(network.ForwardCrops(frontEnd.Normalized(batch.Input.Crops)).Data);
                targets.AddRange(batch.Targets);
            }
        return (logits.ToArray(), targets.ToArray());
    }

    /// <summary>Temperature and accuracy of the visual network on FER2013 images it was not trained on.</summary>
    public static BranchValidation CalibrateVisual(Module network, FaceInput input, IReadOnlyList<CatalogItem> items) =>
        Validate("FER2013 hold-out", HoldOutLogits(network, input, items), items.Select(i => i.Label.Index).ToArray(), Labels.Count);

    /// <summary>The visual network's logits [images, classes] on FER2013 <paramref name="items"/>, one view each (the whole 48 px face).</summary>
    public static float[] HoldOutLogits(Module network, FaceInput input, IReadOnlyList<CatalogItem> items)
    {
        var pixels = FaceImageSet.Decode(items);
        input.Pixels.ApplyInPlace(pixels.Data);
        network.Eval();
        var logits = new List<float>();
        int n = items.Count, chunk = 256;
        using (GradMode.NoGrad())
            for (int first = 0; first < n; first += chunk)
            {
                int m = Math.Min(chunk, n - first);
                var batch = pixels.Reshape(n, -1).IndexSelect(0, Enumerable.Range(first, m).ToArray()).Reshape(m, 1, pixels.Dim(2), pixels.Dim(3));
                logits.AddRange(network.Forward(batch).Data);
            }
        return logits.ToArray();
    }

    /// <summary>Temperature and accuracy of the audio network on the validation clips.</summary>
    public static BranchValidation CalibrateAudio(Aver.Models.Mrpn.UnimodalNetwork network, AudioClipSet set, int[] indices, int pool)
    {
        network.Eval();
        var logits = new List<float>();
        var targets = new List<int>();
        using (GradMode.NoGrad())
            foreach (var batch in set.Batches(indices, 16))
            {
                logits.AddRange(network.Forward(batch.Input.Steps, batch.Input.Lengths).Data);
                targets.AddRange(batch.Targets);
            }
        return Validate("RAVDESS validation speakers", logits.ToArray(), targets.ToArray(), Labels.Count);
    }

    internal static BranchValidation Validate(string data, float[] logits, int[] targets, int classes)
    {
        int correct = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            int best = 0;
            for (int k = 1; k < classes; k++) if (logits[i * classes + k] > logits[i * classes + best]) best = k;
            if (best == targets[i]) correct++;
        }
        double t = TemperatureScaling.Fit(logits, classes, targets);
        return new BranchValidation(data, targets.Length, (double)correct / targets.Length,
            TemperatureScaling.NegativeLogLikelihood(logits, classes, targets, 1), TemperatureScaling.NegativeLogLikelihood(logits, classes, targets, t), t, classes);
    }

    private static int[] Pick(IReadOnlyList<CatalogItem> items, Func<CatalogItem, bool> keep, int? limit)
    {
        var idx = Enumerable.Range(0, items.Count).Where(i => keep(items[i]));
        return (limit is int n ? idx.Take(n) : idx).ToArray();
    }

    private static string Speakers(IReadOnlyList<CatalogItem> items, int[] indices)
    {
        var s = indices.Select(i => items[i].Speaker ?? "?").Distinct().Order(StringComparer.Ordinal).ToList();
        return s.Count <= 3 ? string.Join(", ", s) : $"{s[0]}-{s[^1]}";
    }
}
