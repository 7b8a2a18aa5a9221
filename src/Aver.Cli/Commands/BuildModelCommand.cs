using Aver.Training.Recipes;

namespace Aver.Cli.Commands;

/// <summary>`aver build-model`: makes the default decision-fusion model (FER2013 face branch + RAVDESS audio branch) with its model card.</summary>
public sealed class BuildModelCommand : CliCommand
{
    public override string Name => "build-model";
    public override string Summary => "make the default model (FER2013 faces + RAVDESS audio, decision-level fusion) and its model card";
    public override string Help => """
        aver build-model --fer FER_DIR --ravdess RAVDESS_DIR --out DIR [--visual FER_MODEL[,FER_MODEL...]] [--work DIR] [--face-shift 0]
                         [--audio-config CONFIG[,CONFIG...]] [--audio-from BUNDLE[,BUNDLE...]] [--audio-epochs 22 --audio-width 8 --audio-pool 4]
                         [--validation-actors 15,16] [--limit N] [--threads N] [--json]

        Makes the bundle `aver predict` uses by default, in DIR (model.safetensors, MODEL_CARD.md, labels.txt):
          visual branch  ResNet-18 (width 16) over 48x48 grey faces, pre-trained on FER2013 as `aver pretrain` does
                         (8 epochs, seed 1; skipped when --visual names that output), temperature fitted on the
                         FER2013 training images pre-training held out; several --visual models (same data,
                         seed and face standardisation) answer together as an ensemble (mean probability);
                         a default-model bundle (folder or model.safetensors) in --visual brings every network
                         of its visual branch, BUNDLE#visual.N its network N alone;
          audio branch   MRPN's AM (width 8, spectrograms pooled by 4, LSTM 64) trained on RAVDESS speech of actors
                         01-14, early-stopped and calibrated on actors 15-16 (calm left out: no FER counterpart);
                         with --audio-config, the log-mel network of that audio-cnn experiment config (its model,
                         features and training sections) instead, on the same speakers; several configs (one clip
                         length and evaluation hop) train several networks that answer as an ensemble; with
                         --audio-from, the log-mel networks of those bundles' audio branches, kept whole (weights,
                         front ends, band statistics), alone or with the --audio-config networks (BUNDLE#audio.N:
                         its network N alone); the branch's temperature and weight are fitted anew;
          fusion         weighted average of the calibrated probabilities over FER2013's seven classes; each weight
                         is the branch's information gain over chance on its validation data.
        --validation-actors names the RAVDESS actors held out for early stopping, calibration and the audio weight.
        --face-shift moves the face crop down by that fraction of its side (negative: up; see `aver faces --shift`).
        Run folders live in --work (default runs/default-model); a stopped run resumes where it was.

        Example:
          aver build-model --fer ../shared/data/fer2013 --ravdess ../shared/data/ravdess --out models/default \
            --visual runs/fer-w16-small-recipe/fer.safetensors --audio-config configs/ravdess-audio-cnn-tuned.yaml
        """;

    /// <summary>Options that set MRPN's AM, which an audio-cnn config replaces.</summary>
    private static readonly string[] AmOptions = ["audio-epochs", "audio-width", "audio-pool"];

    /// <summary>--visual A[,B,...] or --audio-config A[,B,...]: one network, or several answering as an ensemble.</summary>
    private static string[] List(CliArgs args, string option)
        => args.Option(option)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    public override int Run(CliArgs args, CliContext ctx)
    {
        string? audioFrom = args.Option("audio-from");
        if ((args.Option("audio-config") is not null || audioFrom is not null) && AmOptions.FirstOrDefault(n => args.Option(n) is not null) is { } am)
            throw new UsageException($"--{am} sets MRPN's AM; with --audio-config or --audio-from another audio branch is made");
        var visual = List(args, "visual");
        var audioConfigs = List(args, "audio-config");
        var o = new DefaultModelOptions(
            FerDir: args.Option("fer") ?? throw new UsageException("--fer FER_DIR is required"),
            RavdessDir: args.Option("ravdess") ?? throw new UsageException("--ravdess RAVDESS_DIR is required"),
            OutDir: args.Option("out") ?? throw new UsageException("--out DIR is required"),
            WorkDir: args.Option("work", "runs/default-model"),
            VisualCheckpoint: visual.FirstOrDefault())
        {
            VisualEnsemble = visual.Skip(1).ToList(),
            AudioConfig = audioConfigs.FirstOrDefault(),
            AudioEnsemble = audioConfigs.Skip(1).ToList(),
            AudioFrom = audioFrom,
            AudioEpochs = args.Int("audio-epochs", 22, min: 1, max: 1000),
            FaceShift = (float)args.Double("face-shift", 0, min: -0.5, max: 0.5),
            Audio = new DefaultModelOptions("", "", "", "").Audio with
            {
                Width = args.Int("audio-width", 8, min: 1, max: 256),
                Pool = args.Int("audio-pool", 4, min: 1, max: 16),
            },
            ValidationSpeakers = args.Option("validation-actors") is { } actors
                ? actors.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : ["15", "16"],
            Limit = args.Option("limit") is null ? null : args.Int("limit", 0, min: 1),
            Command = "./aver build-model " + string.Join(" ", Environment.GetCommandLineArgs().Skip(2)),
        };
        bool json = args.Flag("json");
        args.EnsureAllUsed();
        if (args.Positionals.Count > 0) throw new UsageException($"unexpected argument '{args.Positionals[0]}'");
        var r = DefaultModelRecipe.Run(o, ctx.Error);
        if (json)
            ctx.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
            {
                model = r.ModelPath, bytes = r.Bytes, audio_validation_accuracy = r.Audio.Accuracy, audio_temperature = r.Audio.Temperature, audio_weight = r.AudioWeight,
                visual_validation_accuracy = r.Visual.Accuracy, visual_test_accuracy = double.IsFinite(r.VisualTestAccuracy) ? r.VisualTestAccuracy : (double?)null, visual_temperature = r.Visual.Temperature,
                visual_weight = r.VisualWeight, seconds = r.Elapsed.TotalSeconds,
            }));
        else
            ctx.Out.WriteLine($"wrote {r.ModelPath} ({r.Bytes / 1e6:F1} MB) in {r.Elapsed.TotalMinutes:F1} min: audio validation accuracy {r.Audio.Accuracy:P1} (weight {r.AudioWeight:F2}, T {r.Audio.Temperature:F2}), " +
                              $"visual hold-out {r.Visual.Accuracy:P1} / FER2013 test {(double.IsFinite(r.VisualTestAccuracy) ? $"{r.VisualTestAccuracy:P1}" : "(an ensemble: aver score it)")} (weight {r.VisualWeight:F2}, T {r.Visual.Temperature:F2})");
        return 0;
    }
}
