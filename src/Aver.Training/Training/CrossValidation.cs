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
/// forked from the run's seed and the fold name. With <see cref="TrainerOptions.Ensemble"/> K &gt; 1 a fold trains
/// K networks (member 0 as a single network would be, the others from seeds forked off the fold's, in
/// <c>member-k/</c> below its folder) and tests their mean probability; validation accuracy likewise, so that rows
/// are still chosen by the validation speakers alone. Curves and features are member 0's.
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
        int batch = options.EvalBatchSize ?? options.BatchSize;
        foreach (var fold in folds)
        {
            cancel.ThrowIfCancellationRequested();
            ulong foldSeed = FoldSeed(options.Seed, fold.Name);
            string foldFolder = FoldFolder(runFolder, modelName, fold.Name);
            TrainingResult? first = null;
            var tests = new List<EvaluationResult>();
            var validations = new List<EvaluationResult>();
            for (int member = 0; member < options.Ensemble; member++)
            {
                ulong seed = member == 0 ? foldSeed : new RandomStream(foldSeed).Fork("member", member).Seed;
                string folder = member == 0 ? foldFolder : Path.Combine(foldFolder, $"member-{member}");
                var task = createTask(fold, seed);
                var trainer = new Trainer<TInput>(task, options with { Seed = seed }, progressFor?.Invoke(options.Ensemble == 1 ? fold.Name : $"{fold.Name} #{member + 1}"));
                var result = trainer.Fit(fold.Train, fold.Validation, folder, resume, cancel);
                first ??= result;
                task.Model.Save(Path.Combine(folder, "best.safetensors"), new Dictionary<string, string>
                {
                    ["model"] = modelName, ["fold"] = fold.Name, ["epoch"] = result.BestEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
                saved?.Invoke(fold.Name, folder, task);
                tests.Add(Evaluation.Run(task, fold.Test.Set, fold.Test.Indices, batch, withFeatures && member == 0, cancel));
                if (options.Ensemble > 1 && fold.Validation is { } v) validations.Add(Evaluation.Run(task, v.Set, v.Indices, batch, cancel: cancel));
            }
            var test = Evaluation.MeanOf(tests);
            double? validation = validations.Count > 0 ? Evaluation.MeanOf(validations).Accuracy : null;
            outcomes.Add(new FoldOutcome(fold.Name, test.Confusion, first!.History, tests[0].Features, tests[0].Features is null ? null : tests[0].Targets,
                first.BestEpoch, validation));
        }
        return new ModelOutcome(modelName, outcomes);
    }
}
