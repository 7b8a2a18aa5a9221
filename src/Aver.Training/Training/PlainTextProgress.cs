using System.Globalization;

namespace Aver.Training.Training;

/// <summary>
/// One line per epoch on a text writer: epoch, training loss and accuracy, validation loss and accuracy,
/// learning rate, epoch time and ETA, with '*' on the best epoch and a note when the rate was reduced.
/// </summary>
public sealed class PlainTextProgress(TextWriter output, string? prefix = null) : ITrainingProgress
{
    public void Started(int firstEpoch, int epochs, int batchesPerEpoch) =>
        output.WriteLine($"{prefix}{(firstEpoch > 1 ? $"resuming at epoch {firstEpoch}" : "training")} of {epochs}, {batchesPerEpoch} batches per epoch");

    public void Epoch(EpochReport r) => output.WriteLine(prefix + Format(r));

    public void Warning(string message) => output.WriteLine($"{prefix}warning: {message}");

    public void Finished(TrainingResult result) =>
        output.WriteLine($"{prefix}done after {result.History.Count} epochs{(result.StoppedEarly ? " (early stop)" : "")}; best epoch {result.BestEpoch}");

    /// <summary>The line printed for an epoch.</summary>
    public static string Format(EpochReport r)
    {
        var m = r.Metrics;
        var c = CultureInfo.InvariantCulture;
        string val = m.ValidationLoss is double vl ? string.Format(c, "val loss {0:F4} acc {1:P1}", vl, m.ValidationAccuracy ?? double.NaN) : "no validation";
        return string.Format(c, "epoch {0,3}/{1}  loss {2:F4} acc {3:P1}  {4}  lr {5:E2}  {6:F1}s  ETA {7}{8}{9}",
            m.Epoch, r.Epochs, m.TrainLoss, m.TrainAccuracy, val, m.LearningRate, m.Seconds, FormatSpan(r.Eta),
            r.IsBest ? "  *" : "", r.LearningRateReduced ? "  (lr reduced)" : "");
    }

    /// <summary>h:mm:ss or m:ss.</summary>
    public static string FormatSpan(TimeSpan t) => t.TotalHours >= 1
        ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}"
        : $"{t.Minutes}:{t.Seconds:00}";
}
