using Aver.Training.Experiments;

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
        var options = new ExperimentRunOptions(
            Out: args.Option("out"),
            Cache: args.Option("cache"),
            Folds: args.Option("folds")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Epochs: args.Option("epochs") is null ? null : args.Int("epochs", 1, min: 1));
        args.EnsureAllUsed();

        var run = ExperimentRunner.Run(args.Positionals[0], options, fold => ctx.TrainingProgress($"[{fold}] "), ctx.Error);
        foreach (var row in run.Result.Rows)
        {
            foreach (var f in row.Folds) ctx.Out.WriteLine($"{row.Name} {f.Fold,-8} accuracy {f.Accuracy:P1}  UAR {f.Uar:P1}");
            ctx.Out.WriteLine($"{row.Name} mean     accuracy {row.Accuracy.Mean:P1}  UAR {row.Uar.Mean:P1}");
        }
        ctx.Out.WriteLine($"report: {Path.Combine(run.Folder, "report.md")}");
        return 0;
    }
}
