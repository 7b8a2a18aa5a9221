namespace Aver.Training.Training;

/// <summary>Where a run stands at the end of an epoch, for progress displays.</summary>
/// <param name="Metrics">The epoch's numbers.</param>
/// <param name="IsBest">The epoch's weights are the best so far (and kept).</param>
/// <param name="LearningRateReduced">The plateau schedule reduced the rate after this epoch.</param>
/// <param name="Eta">Estimated time to the epoch limit, from the mean epoch time so far.</param>
public sealed record EpochReport(EpochMetrics Metrics, int Epochs, bool IsBest, bool LearningRateReduced, TimeSpan Eta);

/// <summary>Receives a run's progress: the CLI renders bars with ETA, tests may cancel at a chosen point.</summary>
public interface ITrainingProgress
{
    /// <summary>The run begins (or resumes) at <paramref name="firstEpoch"/> of <paramref name="epochs"/>, each of <paramref name="batchesPerEpoch"/> batches.</summary>
    void Started(int firstEpoch, int epochs, int batchesPerEpoch) { }

    /// <summary>A training batch finished with the running mean loss of its epoch.</summary>
    void Batch(int epoch, int batch, int batches, double runningLoss) { }

    /// <summary>An epoch finished, after its checkpoint was written.</summary>
    void Epoch(EpochReport report) { }

    /// <summary>Something the user should know that does not stop the run.</summary>
    void Warning(string message) { }

    /// <summary>The run ended.</summary>
    void Finished(TrainingResult result) { }
}

/// <summary>Reports nothing.</summary>
public sealed class NoProgress : ITrainingProgress
{
    public static readonly NoProgress Instance = new();
}
