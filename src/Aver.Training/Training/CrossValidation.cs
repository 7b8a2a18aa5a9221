using Aver.Tensors;
using Aver.Training.Data;
using Aver.Training.Reports;
using Aver.Training.Tasks;

namespace Aver.Training.Training;

/// <summary>One fold's examples for a model: training, validation (held-out speakers, for early stopping) and test sides.</summary>
public sealed record FoldData<TInput>(string Name, ExampleSubset<TInput> Train, ExampleSubset<TInput>? Validation, ExampleSubset<TInput> Test);

/// <summary>
/// Runs a protocol's folds for one model or setting: for each fold a fresh task from the factory, a
/// <see cref="Trainer{TInput}"/> run checkpointed under <c>folds/&lt;model&gt;/&lt;fold&gt;/</c> (so a killed
/// evaluation resumes fold by fold), the best weights saved as <c>best.safetensors</c>, and a test pass
/// giving the fold's confusion matrix, curves and (optionally) features for t-SNE. Each fold's seed is
/// forked from the run's seed and the fold name.
/// </summary>
public sealed class CrossValidation<TInput>(TrainerOptions options, Func<string, ITrainingProgress>? progressFor = null)
{
    /// <summary>The seed of fold <paramref name="fold"/> under run seed <paramref name="seed"/>.</summary>
    public static ulong FoldSeed(ulong seed, string fold) => new RandomStream(seed).Fork($"fold:{fold}").Seed;

    /// <summary>The folder of <paramref name="model"/>'s checkpoint and <c>best.safetensors</c> for <paramref name="fold"/> inside a run folder.</summary>
    public static string FoldFolder(string runFolder, string model, string fold) =>
        Path.Combine(runFolder, "folds", ReportWriter.Slug(model), ReportWriter.Slug(fold));

    /// <param name="createTask">Builds the fold's task (model initialised from the given fold seed).</param>
    /// <param name="withFeatures">Collect the task's features on the test side for a t-SNE plot.</param>
    /// <param name="saved">Called once a fold's best weights are in its task and in best.safetensors, with the fold's name, its folder and the task
    /// (e.g. to write a model bundle beside them).</param>
    public ModelOutcome Run(string modelName, IEnumerable<FoldData<TInput>> folds, Func<FoldData<TInput>, ulong, ITrainingTask<TInput>> createTask,
        string runFolder, bool resume = false, bool withFeatures = false, CancellationToken cancel = default,
        Action<string, string, ITrainingTask<TInput>>? saved = null)
    {
        var outcomes = new List<FoldOutcome>();
        foreach (var fold in folds)
        {
            cancel.ThrowIfCancellationRequested();
            ulong seed = FoldSeed(options.Seed, fold.Name);
            var task = createTask(fold, seed);
            string folder = FoldFolder(runFolder, modelName, fold.Name);
            var trainer = new Trainer<TInput>(task, options with { Seed = seed }, progressFor?.Invoke(fold.Name));
            var result = trainer.Fit(fold.Train, fold.Validation, folder, resume, cancel);
            task.Model.Save(Path.Combine(folder, "best.safetensors"), new Dictionary<string, string>
            {
                ["model"] = modelName, ["fold"] = fold.Name, ["epoch"] = result.BestEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            saved?.Invoke(fold.Name, folder, task);
            var test = Evaluation.Run(task, fold.Test.Set, fold.Test.Indices, options.EvalBatchSize ?? options.BatchSize, withFeatures, cancel);
            outcomes.Add(new FoldOutcome(fold.Name, test.Confusion, result.History, test.Features, test.Features is null ? null : test.Targets, result.BestEpoch));
        }
        return new ModelOutcome(modelName, outcomes);
    }
}
