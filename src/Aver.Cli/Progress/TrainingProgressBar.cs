using System.Globalization;
using Aver.Training.Training;

namespace Aver.Cli.Progress;

/// <summary>
/// Training progress for the terminal: a bar over each epoch's batches (running loss, ETA to the end of
/// the epoch) replaced at the epoch's end by the epoch line of <see cref="PlainTextProgress"/>, which
/// carries the ETA to the end of the run. Redirected to a log, only the epoch lines are written.
/// </summary>
public sealed class TrainingProgressBar(TextWriter output, bool interactive, string? prefix = null) : ITrainingProgress
{
    private readonly PlainTextProgress _lines = new(output, prefix);
    private ProgressBar? _bar;
    private int _epochs;

    private int _batches;

    public void Started(int firstEpoch, int epochs, int batchesPerEpoch)
    {
        _epochs = epochs;
        _batches = batchesPerEpoch;
        _lines.Started(firstEpoch, epochs, batchesPerEpoch);
        StartBar(firstEpoch);
    }

    public void Batch(int epoch, int batch, int batches, double runningLoss)
    {
        if (!interactive) return;
        if (_bar is null || _bar.Total != batches) { _batches = batches; StartBar(epoch); }
        _bar!.Report(batch, string.Create(CultureInfo.InvariantCulture, $"loss {runningLoss:F4}"));
    }

    public void Epoch(EpochReport report)
    {
        var line = prefix + PlainTextProgress.Format(report);
        if (_bar is not null) _bar.Complete(line); else output.WriteLine(line);
        _bar = null;
        if (report.Metrics.Epoch < _epochs) StartBar(report.Metrics.Epoch + 1);
    }

    // The clock of an epoch's bar starts when the epoch does, so its rate and ETA count the first batch.
    private void StartBar(int epoch)
    {
        if (interactive && _batches > 0) _bar = new ProgressBar(output, $"{prefix}epoch {epoch}/{_epochs}", _batches, interactive);
    }

    public void Warning(string message) => _lines.Warning(message);

    public void Finished(TrainingResult result) => _lines.Finished(result);
}
