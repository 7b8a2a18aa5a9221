namespace Aver.Training.Training;

/// <summary>
/// Tracks the best validation metric and how many epochs have passed without beating it; the trainer
/// keeps the weights of the best epoch and stops when <see cref="Patience"/> epochs bring no improvement.
/// </summary>
public sealed class EarlyStopping(BestBy by, int? patience)
{
    public BestBy By { get; } = by;
    public int? Patience { get; } = patience;

    /// <summary>The best metric so far (NaN before the first epoch).</summary>
    public double BestMetric { get; private set; } = double.NaN;
    public int BestEpoch { get; private set; }
    public int EpochsWithoutImprovement { get; private set; }
    /// <summary>The best epoch's validation loss: the tie-break of <see cref="BestBy.ValidationAccuracyThenLoss"/>.</summary>
    public double BestLoss { get; private set; } = double.NaN;

    /// <summary>The metric this tracker compares for an epoch.</summary>
    public double MetricOf(EpochMetrics m) => By == BestBy.ValidationLoss
        ? m.ValidationLoss ?? m.TrainLoss
        : m.ValidationAccuracy ?? m.TrainAccuracy;

    /// <summary>Records an epoch; true when it is the best so far.</summary>
    public bool Update(EpochMetrics m)
    {
        double v = MetricOf(m);
        double loss = m.ValidationLoss ?? m.TrainLoss;
        bool better = double.IsNaN(BestMetric) || (By == BestBy.ValidationLoss ? v < BestMetric : v > BestMetric)
            || (By == BestBy.ValidationAccuracyThenLoss && v == BestMetric && loss < BestLoss);
        if (better) { BestMetric = v; BestLoss = loss; BestEpoch = m.Epoch; EpochsWithoutImprovement = 0; }
        else EpochsWithoutImprovement++;
        return better;
    }

    /// <summary>True when the patience is used up.</summary>
    public bool ShouldStop => Patience is int p && EpochsWithoutImprovement >= p;

    /// <summary>Restores the counters from a checkpoint.</summary>
    public void Restore(double bestMetric, int bestEpoch, int epochsWithoutImprovement, double bestLoss = double.NaN) =>
        (BestMetric, BestEpoch, EpochsWithoutImprovement, BestLoss) = (bestMetric, bestEpoch, epochsWithoutImprovement, bestLoss);
}
