using Aver.Data.Catalogs;
using Aver.Data.Protocols;
using Aver.Features.Cache;
using Aver.Models.Spec;
using Aver.Tensors;
using Aver.Training.Config;
using Aver.Training.Reports;
using Aver.Training.Training;

namespace Aver.Training.Experiments;

/// <summary>What a run may change of its config: where it writes, the feature cache, which folds, how many epochs.</summary>
/// <param name="Out">The run folder; null: runs/NAME.</param>
/// <param name="Folds">Run only these folds (by name); null: the config's, else all.</param>
/// <param name="Epochs">Override of training.epochs (a short run).</param>
/// <param name="FoldLimit">Run only the plan's first this many folds (of those selected): a smoke run.</param>
public sealed record ExperimentRunOptions(string? Out = null, string? Cache = null, IReadOnlyList<string>? Folds = null, int? Epochs = null, int? FoldLimit = null);

/// <summary>A finished run: its folder (report.md, tables, fold models) and the rows it measured.</summary>
public sealed record ExperimentRun(string Folder, ExperimentResult Result);

/// <summary>
/// One experiment from its YAML config to its report folder, as `aver evaluate` runs it: the config read and checked,
/// the dataset's catalog, the protocol's speaker-independent folds, the model family's experiment over them
/// (<see cref="Family"/>), then the resolved config, split manifests and report written to the run folder.
/// </summary>
public static class ExperimentRunner
{
    public static ExperimentRun Run(string configPath, ExperimentRunOptions options, Func<string, ITrainingProgress>? progressFor = null, TextWriter? log = null)
    {
        log ??= TextWriter.Null;
        var config = ExperimentConfigLoader.Load(configPath);
        var experiment = Family(config, configPath);
        string outDir = options.Out ?? Path.Combine("runs", config.Name!);
        var training = ExperimentConfigLoader.TrainerOptions(config);
        // A shorter run keeps its warm-up shorter than itself (a cosine schedule needs at least one epoch after it).
        if (options.Epochs is int e)
        {
            training = training with { Epochs = e, WarmupEpochs = Math.Min(training.WarmupEpochs, e - 1) };
            // A run too short to anneal before its averaged epochs keeps the plain cosine.
            if (!training.AnnealsBeforeSwa()) training = training with { SwaLr = null };
        }
        var folds = options.Folds ?? (config.Protocol!.Folds.Count > 0 ? config.Protocol.Folds : null);

        var catalog = experiment.Select(DatasetReader.Open(config.Dataset!.Path!, config.Dataset.Kind));
        int? k = config.Protocol!.Params.TryGetValue("k", out var kText) ? int.Parse(kText, System.Globalization.CultureInfo.InvariantCulture) : null;
        var plan = ProtocolRegistry.Create(config.Protocol.Name!, k).Make(catalog, config.Protocol.Seed ?? config.Seed);
        if (options.FoldLimit is int limit)
            folds = plan.Folds.Select(f => f.Name).Where(n => folds is null || folds.Contains(n)).Take(limit).ToList();
        RunFolderGuard.ThrowIfOtherRun(outDir, config, configPath);   // before anything in it is rewritten
        Directory.CreateDirectory(outDir);
        ExperimentConfigLoader.WriteResolved(config, outDir);
        SplitManifest.Write(plan, Path.Combine(outDir, "splits"));

        log.WriteLine($"{config.Name}: {plan.Folds.Count} folds of {plan.Protocol}; {catalog.Items.Count} clips; writing {outDir}");
        var cache = new FeatureCache(options.Cache ?? Path.Combine("runs", "feature-cache"));
        string command = $"aver evaluate {configPath}{(options.Folds is null ? "" : $" --folds \"{string.Join(';', options.Folds)}\"")}{(options.Epochs is null ? "" : $" --epochs {options.Epochs}")}";
        var provenance = new Provenance(Data: $"{config.Dataset.Kind} at {catalog.Root} ({catalog.Items.Count} clips), protocol {plan.Protocol}",
            Command: command, Commit: BuildInfo.Commit, Created: DateTimeOffset.UtcNow);
        var result = experiment.Run(plan, new ExperimentContext(outDir, training, cache, progressFor, folds, log, Provenance: provenance));
        var notes = new List<string>
        {
            $"Protocol {plan.Protocol}, seed {plan.Seed}{(plan.SpeakerDependent ? " (SPEAKER-DEPENDENT split)" : ", speaker-independent")}.",
            $"Command: {command}",
            training.Describe(),
        };
        if (training.Ensemble > 1)
            notes.Add($"Each fold trains an ensemble of {training.Ensemble} networks from different seeds; its test and validation answers are their mean probability (curves and features: the first network's).");
        notes.AddRange(result.Notes);
        notes.AddRange(plan.Notes);
        ReportWriter.Write(outDir, new ExperimentOutcome(config.Name!, catalog.Labels, result.Rows, notes));
        return new ExperimentRun(outDir, result);
    }

    /// <summary>The experiment behind model.type: the one place a model family is added to `aver evaluate`.</summary>
    public static IExperiment Family(ExperimentConfig config, string configPath) => config.Model!.Type!.ToLowerInvariant() switch
    {
        "unimodal" or "mrpn" => new MrpnExperiment(MrpnExperimentSettings.FromConfig(config)),
        "avef" => new AvefEvaluation(config, configPath),
        "audio-cnn" => AudioCnnExperiment.FromConfig(config),
        _ => throw new ArgumentException($"{configPath}: model.type '{config.Model.Type}' is not run by `aver evaluate` (supported: unimodal, mrpn, avef, audio-cnn; classifier models are pre-trained with `aver pretrain`)"),
    };
}
