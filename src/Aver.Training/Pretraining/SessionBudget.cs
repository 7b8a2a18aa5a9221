using Aver.Training.Training;

namespace Aver.Training.Pretraining;

/// <summary>
/// Passes progress on and cancels the run once <c>epochs</c> epochs have finished in this session, after their
/// checkpoint: a long run can be split over several sessions (the same command resumes it), while the
/// schedule still spans the whole epoch limit.
/// </summary>
internal sealed class SessionBudget(ITrainingProgress? inner, int? epochs) : ITrainingProgress, IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private int _done;

    public CancellationToken Token => _cancel.Token;
    public bool Reached => _cancel.IsCancellationRequested;
    /// <summary>The last epoch finished in this session.</summary>
    public int LastEpoch { get; private set; }

    public void Started(int firstEpoch, int epochs, int batchesPerEpoch) => inner?.Started(firstEpoch, epochs, batchesPerEpoch);
    public void Batch(int epoch, int batch, int batches, double runningLoss) => inner?.Batch(epoch, batch, batches, runningLoss);
    public void Warning(string message) => inner?.Warning(message);
    public void Finished(TrainingResult result) => inner?.Finished(result);

    public void Dispose() => _cancel.Dispose();

    public void Epoch(EpochReport report)
    {
        inner?.Epoch(report);
        LastEpoch = report.Metrics.Epoch;
        // The epoch limit ends the run by itself; cancelling there would turn a finished run into a paused one.
        if (++_done >= epochs && report.Metrics.Epoch < report.Epochs) _cancel.Cancel();
    }
}
