using Aver.Data.Catalogs;
using Aver.Data.Protocols;
using Aver.Training.Data;
using Aver.Training.Reports;
using Aver.Training.Tasks;
using Aver.Training.Training;

namespace Aver.Training.Experiments;

/// <summary>
/// The fold plumbing every experiment shares: a protocol's folds (or the chosen ones) mapped onto an
/// example set built over the plan's catalog items, then <see cref="CrossValidation{TInput}"/> with a
/// task per fold, checkpointed under the run folder and resumable.
/// </summary>
public static class FoldRunner
{
    /// <summary>The folds of <paramref name="plan"/> named in <paramref name="only"/> (all when empty); throws listing the plan's folds when none matches.</summary>
    public static IReadOnlyList<Fold> Select(SplitPlan plan, IReadOnlyList<string>? only)
    {
        var folds = plan.Folds.Where(f => only is not { Count: > 0 } || only.Contains(f.Name)).ToList();
        if (folds.Count == 0)
            throw new ArgumentException($"no fold matches ({string.Join(", ", only ?? [])}); the plan has {string.Join(", ", plan.Folds.Select(f => f.Name))}");
        return folds;
    }

    /// <summary>
    /// Trains and tests row <paramref name="name"/> on every selected fold: <paramref name="set"/> must be
    /// built over <paramref name="items"/> (the plan's catalog items, in the same order). <paramref name="saved"/> is
    /// called per fold once its best weights are saved (see <see cref="CrossValidation{TInput}.Run"/>).
    /// </summary>
    public static ModelOutcome Run<TInput>(string name, SplitPlan plan, IReadOnlyList<CatalogItem> items, IExampleSet<TInput> set,
        Func<FoldData<TInput>, ulong, ITrainingTask<TInput>> createTask, ExperimentContext context,
        Action<string, string, ITrainingTask<TInput>>? saved = null)
    {
        var index = new FoldIndices(items, name);
        var folds = Select(plan, context.Folds).Select(f => new FoldData<TInput>(f.Name,
            new ExampleSubset<TInput>(set, index.Of(f, SplitPart.Train)),
            new ExampleSubset<TInput>(set, index.Of(f, SplitPart.Validation)),
            new ExampleSubset<TInput>(set, index.Of(f, SplitPart.Test)))).ToList();
        return new CrossValidation<TInput>(context.Training, context.ProgressFor)
            .Run(name, folds, createTask, context.RunFolder, resume: true, withFeatures: true, context.Cancel, saved);
    }

    /// <summary>Where <see cref="CrossValidation{TInput}"/> keeps row <paramref name="model"/>'s best weights for <paramref name="fold"/>.</summary>
    public static string BestWeights(string runFolder, string model, string fold) =>
        Path.Combine(CrossValidation<object>.FoldFolder(runFolder, model, fold), "best.safetensors");
}
