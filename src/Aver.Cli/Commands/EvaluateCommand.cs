using Aver.Data.Catalogs;
using Aver.Data.Protocols;
using Aver.Models.Mrpn;
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
        aver evaluate CONFIG.yaml [--out DIR] [--folds "A1,2;A3,4"] [--epochs N] [--threads N]

        Reads the experiment (dataset, labels, protocol, model, training; see configs/), makes the
        protocol's speaker-independent folds, trains one network per fold with early stopping on the
        fold's validation speakers, tests it on the fold's test speakers, and writes DIR (default
        runs/NAME): config.yaml (resolved), splits/ (the fold manifests), folds/ (checkpoints and best
        weights; a killed run resumes where it stopped), tables.md laid out like MRPN Tables 1-3,
        metrics.csv, confusion matrices, training curves, a t-SNE plot and report.md.
        Supported now: model.type unimodal with modality audio (MRPN's AM rows) and model.type avef
        (AVEF: audio-net, visual-net, DBN, clip-level SVM; see configs/avef-*.yaml).

        Example:
          aver evaluate configs/ravdess-audio-am.yaml --folds "A1,2;A3,4" --epochs 20
        """;

    public override int Run(CliArgs args, CliContext ctx)
    {
        if (args.Positionals.Count != 1) throw new UsageException("expects one experiment config (YAML)");
        var configPath = args.Positionals[0];
        var outDir = args.Option("out");
        var folds = args.Option("folds")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int? epochs = args.Option("epochs") is null ? null : args.Int("epochs", 1, min: 1);
        args.EnsureAllUsed();

        var config = ExperimentConfigLoader.Load(configPath);
        var model = config.Model!;
        if (model.Type == "avef") // AVEF (Ma et al. 2019): its own stages and report, see AvefEvaluation
        {
            AvefEvaluation.Run(config, configPath, outDir ?? Path.Combine("runs", config.Name!), folds, epochs, ctx.Out, ctx.Error);
            return 0;
        }
        if (model.Type != "unimodal" || model.Modality != "audio")
            throw new ArgumentException($"{configPath}: model.type '{model.Type}' with modality '{model.Modality}' is not runnable by `aver evaluate` yet (supported: unimodal audio)");
        outDir ??= Path.Combine("runs", config.Name!);
        var training = ExperimentConfigLoader.TrainerOptions(config);
        if (epochs is int e) training = training with { Epochs = e };

        var catalog = DatasetReader.Open(config.Dataset!.Path!, config.Dataset.Kind)
            .Where(i => i.Modality == Modality.Audio && i.Field("vocal_channel") is null or "speech"); // MRPN §5.1: speech only
        var plan = ProtocolRegistry.Create(config.Protocol!.Name!).Make(catalog, config.Protocol.Seed ?? config.Seed);
        Directory.CreateDirectory(outDir);
        ExperimentConfigLoader.WriteResolved(config, outDir);
        SplitManifest.Write(plan, Path.Combine(outDir, "splits"));

        var settings = new AudioModelSettings(
            Width: model.ExtractorWidth,
            Pool: PoolFactor(configPath, model.AudioInput),
            Aggregator: Enum.Parse<AggregatorKind>(model.Aggregator.Replace("-", ""), ignoreCase: true),
            Hidden: model.AggregatorHidden, ScoringHidden: model.ScoringHidden, Dropout: (float)model.Dropout,
            ExtractorInit: model.AudioInit);
        string row = $"AM ({(training.Augment ? "T" : "NT")})";
        ctx.Error.WriteLine($"{config.Name}: {plan.Folds.Count} folds of {plan.Protocol}; {catalog.Items.Count} clips; writing {outDir}");
        var outcome = AudioOnlyExperiment.Run(row, plan, catalog.Labels, settings, training, outDir,
            fold => new PlainTextProgress(ctx.Error, $"[{fold}] "), folds);
        var notes = new List<string>
        {
            $"Protocol {plan.Protocol}, seed {plan.Seed}{(plan.SpeakerDependent ? " (SPEAKER-DEPENDENT split)" : ", speaker-independent")}.",
            $"Extractor ResNet-18 width {settings.Width}, spectrograms pooled by {settings.Pool}, aggregator {settings.Aggregator}.",
            $"Command: aver evaluate {configPath}{(folds is null ? "" : $" --folds \"{string.Join(';', folds)}\"")}{(epochs is null ? "" : $" --epochs {epochs}")}",
        };
        notes.AddRange(plan.Notes);
        ReportWriter.Write(outDir, new ExperimentOutcome(config.Name!, catalog.Labels, [outcome], notes));
        foreach (var f in outcome.Folds) ctx.Out.WriteLine($"{row} {f.Fold,-8} accuracy {f.Accuracy:P1}  UAR {f.Uar:P1}");
        ctx.Out.WriteLine($"{row} mean     accuracy {outcome.Accuracy.Mean:P1}  UAR {outcome.Uar.Mean:P1}   report: {Path.Combine(outDir, "report.md")}");
        return 0;
    }

    // audio_input [1, H, W] must be the paper's [1, 256, 250] divided by a whole factor.
    private static int PoolFactor(string configPath, IReadOnlyList<int> input)
    {
        for (int p = 1; p <= 16; p++)
            if (input.Count == 3 && input[0] == 1 && input[1] == 256 / p && input[2] == 250 / p) return p;
        throw new ArgumentException($"{configPath}: model.audio_input [{string.Join(", ", input)}] must be [1, 256/p, 250/p] for a whole p (e.g. [1, 128, 125])");
    }
}
