using Aver.Training.Pretraining;
using Aver.Training.Training;

namespace Aver.Cli.Commands;

/// <summary>`aver pretrain`: the visual extractor on FER2013 (MRPN §5.2).</summary>
public sealed class PretrainCommand : CliCommand
{
    public override string Name => "pretrain";
    public override string Summary => "pre-train the visual ResNet-18 on FER2013 and report its test accuracy";
    public override string Help => """
        aver pretrain FER_DIR --out MODEL.safetensors [--width 16] [--epochs 10] [--batch 64] [--lr 0.001]
                      [--limit-per-class N] [--seed S] [--threads N] [--json]

        Trains ResNet-18 (1 input channel, 7 classes) on FER2013's training images, holding out 10% per
        class for early stopping, evaluates the best weights on the test images, and writes them as
        safetensors with the architecture, label space and test accuracy in the metadata. MRPN's
        visual branch starts from this file (MRPN §5.2). The run is resumable: its checkpoints live in
        MODEL.safetensors.run/, and running the same command again continues where it stopped.

        Example:
          aver pretrain ../shared/data/fer2013 --out runs/fer-resnet18-w16.safetensors --epochs 12
        """;

    public override int Run(CliArgs args, CliContext ctx)
    {
        if (args.Positionals.Count != 1) throw new UsageException("expects one FER2013 folder (or fer2013.csv)");
        var o = new PretrainOptions(
            DataDir: args.Positionals[0],
            Output: args.Option("out") ?? throw new UsageException("--out MODEL.safetensors is required"),
            Width: args.Int("width", 16, min: 1, max: 256),
            Epochs: args.Int("epochs", 10, min: 1),
            BatchSize: args.Int("batch", 64, min: 1),
            LearningRate: args.Double("lr", 1e-3),
            LimitPerClass: args.Option("limit-per-class") is null ? null : args.Int("limit-per-class", 0, min: 1),
            Seed: args.Seed(1),
            Threads: args.Option("threads") is null ? null : args.Int("threads", 0, min: 1));
        bool json = args.Flag("json");
        args.EnsureAllUsed();
        var r = FerPretraining.Run(o, ctx.TrainingProgress(), ctx.Error);
        if (json)
            ctx.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
            {
                model = r.ModelPath, test_accuracy = r.TestAccuracy, test_uar = r.TestUar, best_epoch = r.Training.BestEpoch,
                epochs = r.Training.History.Count,
            }));
        else
            ctx.Out.WriteLine($"FER2013 test accuracy {r.TestAccuracy:P2}, UAR {r.TestUar:P2} (best epoch {r.Training.BestEpoch} of {r.Training.History.Count}); wrote {r.ModelPath}");
        return 0;
    }
}
