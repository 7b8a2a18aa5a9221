using Aver.Models.ResNet;
using Aver.Training.Pretraining;
using Aver.Training.Training;

namespace Aver.Cli.Commands;

/// <summary>`aver pretrain`: the visual extractor on FER2013 (MRPN §5.2), with the issue-16 recipe as options.</summary>
public sealed class PretrainCommand : CliCommand, IHasFlags
{
    public string[] Flags => ["ten-crop", "swa-update-bn"];

    public override string Name => "pretrain";
    public override string Summary => "pre-train the visual ResNet-18 on FER2013 and report its test accuracy";
    public override string Help => """
        aver pretrain FER_DIR --out MODEL.safetensors [--width 16] [--epochs 10] [--batch 64] [--lr 0.001]
                      [--stem imagenet|small] [--augment flip-shift|recipe|none] [--erasing 0.5]
                      [--label-smoothing 0] [--mixup 0] [--optimizer adamw|sgd] [--weight-decay W]
                      [--schedule plateau|cosine] [--warmup 0] [--patience 6|none] [--ten-crop]
                      [--init MODEL] [--swa-epochs N [--swa-update-bn]]
                      [--session-epochs N] [--limit-per-class N] [--seed S] [--split-seed S] [--threads N] [--json]

        Trains ResNet-18 (1 input channel, 7 classes) on FER2013's training images, holding out 10% per
        class for validation (the best-validation-accuracy epoch is kept), evaluates on the test images,
        and writes a model file (family resnet18, labels fer7, front end "face" with the pixel statistics).
        MRPN's visual branch starts from this file (MRPN §5.2). The run is resumable: its checkpoints live
        in MODEL.safetensors.run/ (one per epoch), and the same command continues where it stopped.

          --stem small          3x3 stride-1 conv, no max pool: 48 px faces at full resolution (~4x the time)
          --augment recipe      random resized crop (zoom ±10%), shift ±8%, flip, rotation ±10°, random erasing
          --erasing P           random erasing probability with --augment recipe (Zhong et al. 2020)
          --label-smoothing E   cross-entropy label smoothing (0.1 is usual)
          --mixup A             mixup with λ ~ Beta(A, A) (Zhang et al. 2018; 0.2 is usual)
          --optimizer sgd       SGD with Nesterov momentum 0.9 (weight decay 5e-4 unless --weight-decay)
          --schedule cosine     linear warm-up over --warmup epochs, then cosine to 0 at --epochs
          --patience N|none     early stopping on validation accuracy (none: run every epoch, as cosine wants)
          --init MODEL          start from MODEL's weights (an `aver pretrain` output or BUNDLE#visual.N of the same
                                architecture and --split-seed) instead of a fresh initialisation: a fine-tune
          --swa-epochs N        validate and keep the mean of the weights at the ends of the last N epochs (SWA)
          --swa-update-bn       measure that mean's batch-norm statistics afresh on the training batches after each
                                averaged epoch (Izmailov et al. 2018), instead of averaging them (~1/3 epoch each)
          --ten-crop            also report ten-crop test accuracy (centre + corners, mirrored, softmax mean)
          --session-epochs N    train N epochs in this session, then stop after the checkpoint
          --split-seed S        draw the validation hold-out with S instead of --seed: networks of one split seed
                                and different --seed can answer together (`aver build-model --visual A,B`)

        Examples:
          aver pretrain ../shared/data/fer2013 --out runs/fer-resnet18-w16.safetensors --epochs 12
          aver pretrain ../shared/data/fer2013 --out runs/fer-w32-small.safetensors --width 32 --stem small \
              --augment recipe --label-smoothing 0.1 --optimizer sgd --lr 0.05 --schedule cosine --warmup 2 \
              --epochs 40 --patience none --ten-crop --session-epochs 5
          aver pretrain ../shared/data/fer2013 --out runs/fer-w32-swa.safetensors --init runs/fer-w32-small.safetensors \
              --width 32 --stem small --augment recipe --label-smoothing 0.1 --optimizer sgd --lr 0.01 \
              --schedule cosine --epochs 8 --swa-epochs 8 --swa-update-bn --patience none --ten-crop
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
            Threads: args.Option("threads") is null ? null : args.Int("threads", 0, min: 1))
        {
            Stem = Choice(args, "stem", ResNetStem.ImageNet, ("imagenet", ResNetStem.ImageNet), ("small", ResNetStem.Small)),
            Augmentation = Choice(args, "augment", FaceAugmentationKind.FlipShift,
                ("flip-shift", FaceAugmentationKind.FlipShift), ("recipe", FaceAugmentationKind.Recipe), ("none", FaceAugmentationKind.None)),
            ErasingProbability = Fraction(args, "erasing", 0.5),
            LabelSmoothing = (float)Fraction(args, "label-smoothing", 0),
            MixupAlpha = args.Double("mixup", 0),
            Optimizer = Choice(args, "optimizer", OptimizerKind.AdamW, ("adamw", OptimizerKind.AdamW), ("sgd", OptimizerKind.SgdNesterov)),
            WeightDecay = args.Option("weight-decay") is null ? null : args.Double("weight-decay", 0),
            Schedule = Choice(args, "schedule", ScheduleKind.Plateau, ("plateau", ScheduleKind.Plateau), ("cosine", ScheduleKind.Cosine)),
            WarmupEpochs = args.Int("warmup", 0, min: 0),
            EarlyStoppingPatience = args.Option("patience") == "none" ? null : args.Int("patience", 6, min: 1),
            TenCrop = args.Flag("ten-crop"),
            SplitSeed = args.Option("split-seed") is null ? null : args.Seed(name: "split-seed"),
            Command = "./aver pretrain " + string.Join(" ", Environment.GetCommandLineArgs().Skip(2)),
            SessionEpochs = args.Option("session-epochs") is null ? null : args.Int("session-epochs", 0, min: 1),
            InitFrom = args.Option("init"),
            SwaEpochs = args.Option("swa-epochs") is null ? null : args.Int("swa-epochs", 0, min: 1),
            SwaUpdateBatchNorm = args.Flag("swa-update-bn"),
        };
        if (o.MixupAlpha < 0) throw new UsageException($"--mixup {o.MixupAlpha}: α must be non-negative");
        bool json = args.Flag("json");
        args.EnsureAllUsed();
        var r = FerPretraining.Run(o, ctx.TrainingProgress(), ctx.Error);
        var history = r.Training?.History;
        double? secondsPerEpoch = history is { Count: > 0 } ? history.Average(h => h.Seconds) : null;
        if (json)
            ctx.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
            {
                model = r.ModelPath, paused_after_epoch = r.Paused, test_accuracy = Finite(r.TestAccuracy), test_uar = Finite(r.TestUar),
                test_accuracy_ten_crop = r.TenCropAccuracy, test_uar_ten_crop = r.TenCropUar, best_epoch = r.Training?.BestEpoch,
                validation_accuracy = r.Training?.Best.ValidationAccuracy, epochs = history?.Count, seconds_per_epoch = secondsPerEpoch,
            }));
        else if (r.Paused is int epoch)
            ctx.Out.WriteLine($"stopped after epoch {epoch} of {o.Epochs}; run the same command to continue");
        else
            ctx.Out.WriteLine($"FER2013 test accuracy {r.TestAccuracy:P2}, UAR {r.TestUar:P2}" +
                (r.TenCropAccuracy is double t ? $" (ten-crop {t:P2}, UAR {r.TenCropUar:P2})" : "") +
                $" (best epoch {r.Training!.BestEpoch} of {history!.Count}, validation {r.Training.Best.ValidationAccuracy:P2}, {secondsPerEpoch:F0} s/epoch); wrote {r.ModelPath}");
        return 0;
    }

    private static double? Finite(double x) => double.IsFinite(x) ? x : null;

    private static double Fraction(CliArgs args, string name, double fallback)
    {
        double v = args.Double(name, fallback);
        return v is >= 0 and <= 1 ? v : throw new UsageException($"--{name} {v}: must be in [0, 1]");
    }

    private static T Choice<T>(CliArgs args, string name, T fallback, params (string Name, T Value)[] choices)
    {
        if (args.Option(name) is not string text) return fallback;
        foreach (var (n, v) in choices) if (n == text) return v;
        throw new UsageException($"--{name} {text}: expected one of {string.Join(", ", choices.Select(c => c.Name))}");
    }
}
