using Aver.Data.Catalogs;
using Aver.Data.Protocols;
using Aver.Features.Cache;
using Aver.Training.Reports;
using Aver.Training.Training;

namespace Aver.Training.Experiments;

/// <summary>What every experiment run shares: where it writes, how it trains, which folds, progress and logging.</summary>
/// <param name="RunFolder">The report folder; per-fold checkpoints go under its folds/ (a killed run resumes).</param>
/// <param name="Cache">Feature cache shared between runs (face crops), or null.</param>
/// <param name="Folds">Run only these folds of the plan (by name); all when null or empty.</param>
/// <param name="Provenance">Where the fold models come from (data, command, commit), written into each fold's model spec.</param>
public sealed record ExperimentContext(string RunFolder, TrainerOptions Training, FeatureCache? Cache = null,
    Func<string, ITrainingProgress>? ProgressFor = null, IReadOnlyList<string>? Folds = null, TextWriter? Log = null, CancellationToken Cancel = default,
    Aver.Models.Spec.Provenance? Provenance = null);

/// <summary>The rows an experiment produced (one per model or setting, as in the papers' tables) and notes for its report.</summary>
public sealed record ExperimentResult(IReadOnlyList<ModelOutcome> Rows, IReadOnlyList<string> Notes);

/// <summary>
/// A model family's experiment (`aver evaluate` picks one by model.type): which catalog items it uses
/// and how it trains and tests over a protocol's folds.
/// </summary>
public interface IExperiment
{
    /// <summary>The items the model consumes (e.g. speech clips with a paired video); the protocol splits these.</summary>
    Catalog Select(Catalog catalog);

    /// <summary>Trains and tests over <paramref name="plan"/>'s folds.</summary>
    ExperimentResult Run(SplitPlan plan, ExperimentContext context);
}
