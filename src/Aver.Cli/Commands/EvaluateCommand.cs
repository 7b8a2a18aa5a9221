using Aver.Data.Catalogs;
using Aver.Data.Protocols;
using Aver.Features.Cache;
using Aver.Training.Config;
using Aver.Training.Experiments;
using Aver.Training.Reports;
using Aver.Training.Training;

namespace Aver.Cli.Commands;

/// <summary>`aver evaluate CONFIG`: runs an experiment's protocol and writes its report folder.</summary>
public sealed class EvaluateCommand : CliCommand
{
    public override string Name => "evaluate";
    public override string Summary => "run an experiment config over its protocol's folds and write a report folder";
    public override string Help => """
        aver evaluate CONFIG.yaml [--out DIR] [--folds "A1,2;A3,4"] [--epochs N] [--cache DIR]

        Reads the experiment (dataset, labels, protocol, model, strategy, training, features; see
        configs/), makes the protocol's folds, trains one network per fold with early stopping on the
        fold's validation speakers, tests it on the fold's test speakers, and writes DIR (default
        runs/NAME): config.yaml (resolved), splits/ (the fold manifests), folds/ (checkpoints and best
        weights; a killed run resumes where it stopped), tables.md laid out like MRPN Tables 1-3,
        metrics.csv, confusion matrices, training curves, a t-SNE plot and report.md.
        Models: unimodal audio (AM) or video (VM); mrpn with variant N0, N1 or N2 and strategy
        end-to-end or late-fusion (AM and VM trained per fold, frozen, then the fusion trained);
        avef (AVEF: audio-net, visual-net, DBN, clip-level SVM; see configs/avef-*.yaml);
        audio-cnn (a compact log-mel CNN, the PyTorch peer's recipe; see configs/ravdess-audio-cnn*.yaml).
        Face crops are cached in --cache DIR (default runs/feature-cache), so a second run does not
        decode and detect again.

        Example:
          aver evaluate configs/ravdess-audio-am.yaml --folds "A1,2;A3,4" --epochs 20
          aver evaluate configs/ravdess-av-n2-cpu.yaml --epochs 3
        """;

    public override int Run(CliArgs args, CliContext ctx)
    {
        if (args.Positionals.Count != 1) throw new UsageException("expects one experiment config (YAML)");
        var configPath = args.Positionals[0];
        var outDir = args.Option("out");
        var cacheDir = args.Option("cache") ?? Path.Combine("runs", "feature-cache");
        var foldOption = args.Option("folds")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int? epochs = args.Option("epochs") is null ? null : args.Int("epochs", 1, min: 1);
        args.EnsureAllUsed();

        var config = ExperimentConfigLoader.Load(configPath);
        var experiment = Create(config, configPath);
        outDir ??= Path.Combine("runs", config.Name!);
        var training = ExperimentConfigLoader.TrainerOptions(config);
        if (epochs is int e) training = training with { Epochs = e };
        IReadOnlyList<string>? folds = (IReadOnlyList<string>?)foldOption ?? (config.Protocol!.Folds.Count > 0 ? config.Protocol.Folds : null);

        var catalog = experiment.Select(DatasetReader.Open(config.Dataset!.Path!, config.Dataset.Kind));
        int? k = config.Protocol!.Params.TryGetValue("k", out var kText) ? int.Parse(kText, System.Globalization.CultureInfo.InvariantCulture) : null;
        var plan = ProtocolRegistry.Create(config.Protocol.Name!, k).Make(catalog, config.Protocol.Seed ?? config.Seed);
        RunFolderGuard.ThrowIfOtherRun(outDir, config, configPath);   // before anything in it is rewritten
        Directory.CreateDirectory(outDir);
        ExperimentConfigLoader.WriteResolved(config, outDir);
        SplitManifest.Write(plan, Path.Combine(outDir, "splits"));

        ctx.Error.WriteLine($"{config.Name}: {plan.Folds.Count} folds of {plan.Protocol}; {catalog.Items.Count} clips; writing {outDir}");
        var result = experiment.Run(plan, new ExperimentContext(outDir, training, new FeatureCache(cacheDir),
            fold => ctx.TrainingProgress($"[{fold}] "), folds, ctx.Error));
        var notes = new List<string>
        {
            $"Protocol {plan.Protocol}, seed {plan.Seed}{(plan.SpeakerDependent ? " (SPEAKER-DEPENDENT split)" : ", speaker-independent")}.",
            $"Command: aver evaluate {configPath}{(foldOption is null ? "" : $" --folds \"{string.Join(';', foldOption)}\"")}{(epochs is null ? "" : $" --epochs {epochs}")}",
        };
        notes.AddRange(result.Notes);
        notes.AddRange(plan.Notes);
        ReportWriter.Write(outDir, new ExperimentOutcome(config.Name!, catalog.Labels, result.Rows, notes));
        foreach (var row in result.Rows)
        {
            foreach (var f in row.Folds) ctx.Out.WriteLine($"{row.Name} {f.Fold,-8} accuracy {f.Accuracy:P1}  UAR {f.Uar:P1}");
            ctx.Out.WriteLine($"{row.Name} mean     accuracy {row.Accuracy.Mean:P1}  UAR {row.Uar.Mean:P1}");
        }
        ctx.Out.WriteLine($"report: {Path.Combine(outDir, "report.md")}");
        return 0;
    }

    /// <summary>The experiment behind model.type: the one place a new model family (e.g. avef) is added.</summary>
    private static IExperiment Create(ExperimentConfig config, string configPath) => config.Model!.Type!.ToLowerInvariant() switch
    {
        "unimodal" or "mrpn" => new MrpnExperiment(MrpnExperimentSettings.FromConfig(config)),
        "avef" => new AvefEvaluation(config, configPath),
        "audio-cnn" => AudioCnnExperiment.FromConfig(config),
        _ => throw new ArgumentException($"{configPath}: model.type '{config.Model.Type}' is not run by `aver evaluate` (supported: unimodal, mrpn, avef, audio-cnn; classifier models are pre-trained with `aver pretrain`)"),
    };
}
