using Aver.Data.Labels;
using Aver.Data.Metrics;
using Aver.Training.Training;

namespace Aver.Training.Reports;

/// <summary>What one model (or setting) gave on one fold: its test confusion, its training curves, and optionally features for a t-SNE plot.</summary>
/// <param name="Features">[N, D] features of the fold's test examples (e.g. MRPN's g_va).</param>
/// <param name="FeatureClasses">N true class indices of those examples.</param>
/// <param name="BestEpoch">The epoch whose weights were kept and tested, when known.</param>
/// <param name="EnsembleValidationAccuracy">An ensemble's accuracy on the validation speakers (its members' mean probability at their kept epochs).</param>
public sealed record FoldOutcome(string Fold, ConfusionMatrix Confusion, IReadOnlyList<EpochMetrics>? History = null,
    float[,]? Features = null, int[]? FeatureClasses = null, int? BestEpoch = null, double? EnsembleValidationAccuracy = null)
{
    public double Accuracy => Confusion.Accuracy;
    public double Uar => Confusion.UnweightedAverageRecall;

    /// <summary>
    /// The validation speakers' accuracy at the kept epoch (NaN when unknown): what a choice between recipes may look
    /// at, since the test speakers' accuracy must not choose anything.
    /// </summary>
    public double ValidationAccuracy => EnsembleValidationAccuracy ?? History?.FirstOrDefault(e => e.Epoch == BestEpoch)?.ValidationAccuracy ?? double.NaN;

    /// <summary>
    /// The validation speakers' accuracy at the last epoch trained (NaN when unknown or for an ensemble): chosen by
    /// nothing, so free of the optimism of <see cref="ValidationAccuracy"/>, the best of many noisy epochs (about 6
    /// points on the audio rows of results/2026-12-06/audio-reslstm).
    /// </summary>
    public double LastValidationAccuracy => EnsembleValidationAccuracy is null && History is { Count: > 0 } h ? h[^1].ValidationAccuracy ?? double.NaN : double.NaN;
}

/// <summary>A row of the paper's tables: a model or setting (e.g. "AM (T)") and its folds.</summary>
public sealed record ModelOutcome(string Name, IReadOnlyList<FoldOutcome> Folds)
{
    public Aggregate Accuracy => Aggregate.Of(Folds.Select(f => f.Accuracy));
    public Aggregate Uar => Aggregate.Of(Folds.Select(f => f.Uar));

    /// <summary>Whether every fold knows its validation accuracy at the kept epoch.</summary>
    public bool HasValidation => Folds.Count > 0 && Folds.All(f => double.IsFinite(f.ValidationAccuracy));

    /// <summary>Whether every fold knows its validation accuracy at the last epoch.</summary>
    public bool HasLastValidation => Folds.Count > 0 && Folds.All(f => double.IsFinite(f.LastValidationAccuracy));
}

/// <summary>Everything a report folder shows: the rows, the label space, and free-text notes (protocol, seed, config).</summary>
public sealed record ExperimentOutcome(string Title, LabelSpace Labels, IReadOnlyList<ModelOutcome> Models, IReadOnlyList<string>? Notes = null);
