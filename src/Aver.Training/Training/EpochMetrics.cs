namespace Aver.Training.Training;

/// <summary>One epoch's numbers: training loss and accuracy (running, over the epoch's batches), validation loss and accuracy, the rate used.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="LearningRate">The rate the epoch trained with (before any reduction at its end).</param>
/// <param name="Seconds">Wall time of the epoch, validation included.</param>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy,
    double LearningRate, double Seconds);

/// <summary>How a run ended.</summary>
/// <param name="History">Every epoch, resumed ones included.</param>
/// <param name="BestEpoch">The epoch whose weights the model holds at the end (1-based).</param>
/// <param name="StoppedEarly">True when early stopping ended the run before the epoch limit.</param>
public sealed record TrainingResult(IReadOnlyList<EpochMetrics> History, int BestEpoch, bool StoppedEarly)
{
    public EpochMetrics Best => History[BestEpoch - 1];
}
