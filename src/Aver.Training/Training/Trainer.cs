using System.Diagnostics;
using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Tensors.Optim;
using Aver.Training.Data;
using Aver.Training.Tasks;

namespace Aver.Training.Training;

/// <summary>
/// Trains a task's model over epochs (MRPN §5.2): AdamW, ReduceLROnPlateau on the validation loss (or, as
/// options, SGD with Nesterov momentum and warm-up + cosine),
/// early stopping on the validation speakers keeping the best weights, optional gradient clipping, and optionally an
/// exponential moving average of the weights or a uniform one over the last epochs (SWA; <see cref="WeightAverage"/>)
/// that is validated and kept instead.
/// After every epoch a <see cref="Checkpoint"/> is written atomically; <c>resume</c> continues from it
/// and ends with the same weights, bit for bit, as a run that was never interrupted (all randomness is
/// derived from the seed and the epoch, see <see cref="RandomStreams"/>) provided it runs with the same
/// thread count (some kernels' sums depend on it; a mismatch is reported as a warning). Only parameters that require
/// gradients are optimised, so frozen branches (late fusion) stay as they are.
/// </summary>
public sealed class Trainer<TInput>(ITrainingTask<TInput> task, TrainerOptions options, ITrainingProgress? progress = null)
{
    private readonly ITrainingProgress _progress = progress ?? NoProgress.Instance;

    public ITrainingTask<TInput> Task { get; } = task;
    public TrainerOptions Options { get; } = options;

    /// <summary>
    /// Trains on <paramref name="train"/>, validating on <paramref name="validation"/> after every epoch
    /// (without it, the training loss drives the schedule and the last epoch counts as best). With
    /// <paramref name="checkpointFolder"/> a checkpoint is written there after every epoch; with
    /// <paramref name="resume"/> a checkpoint found there is continued. At the end the model holds the
    /// best epoch's weights. Cancellation throws <see cref="OperationCanceledException"/> between batches;
    /// the last completed epoch's checkpoint stays on disk.
    /// </summary>
    public TrainingResult Fit(ExampleSubset<TInput> train, ExampleSubset<TInput>? validation = null, string? checkpointFolder = null,
        bool resume = false, CancellationToken cancel = default)
    {
        Options.Validate();
        if (train.Count == 0) throw new ArgumentException("Trainer: the training side has no examples", nameof(train));
        if (validation is { Count: 0 }) validation = null;
        int savedThreads = Engine.Threads;
        if (Options.Threads is int threads) Engine.Threads = threads;
        try { return Run(train, validation, checkpointFolder, resume, cancel); }
        finally { if (Engine.Threads != savedThreads) Engine.Threads = savedThreads; }
    }

    private TrainingResult Run(ExampleSubset<TInput> train, ExampleSubset<TInput>? validation, string? folder, bool resume, CancellationToken cancel)
    {
        var model = Task.Model;
        var parameters = model.Parameters().Where(p => p.RequiresGrad).ToList();
        var optimizer = Options.CreateOptimizer(parameters);
        var schedule = Options.CreateSchedule(optimizer);
        var early = new EarlyStopping(Options.BestBy, Options.EarlyStoppingPatience);
        var streams = new RandomStreams(Options.Seed);
        var history = new List<EpochMetrics>();
        Dictionary<string, Tensor>? best = null;
        var average = Options.EmaDecay is double decay ? new WeightAverage(model, decay)
            : Options.SwaFromEpoch() is int from ? WeightAverage.Uniform(model, from) : null;
        int first = 1;
        string? path = folder is null ? null : Checkpoint.PathIn(folder);

        if (resume && path is not null && File.Exists(path))
        {
            var cp = Checkpoint.Load(path);
            if (cp.Seed != Options.Seed)
                throw new CheckpointException(path, $"was made with seed {cp.Seed}, this run has seed {Options.Seed}");
            if (cp.Threads != Engine.Threads)
                _progress.Warning($"{path} was written with {cp.Threads} threads, this run has {Engine.Threads}: the result will not be bit-identical to an uninterrupted run");
            model.LoadStateDict(cp.Model, strict: true, source: path);
            if (average is not null) average.Load(cp.Ema ?? throw new CheckpointException(path, "has no weight average; this run keeps one (ema_decay or swa_epochs)"), path);
            else if (cp.Ema is not null) throw new CheckpointException(path, "holds a weight average; this run keeps none (ema_decay or swa_epochs)");
            optimizer.LoadStateDict(cp.Optimizer);
            schedule.LoadStateDict(cp.Schedule);
            var bestMetrics = cp.History.FirstOrDefault(h => h.Epoch == cp.BestEpoch);
            early.Restore(cp.BestMetric, cp.BestEpoch, cp.EpochsWithoutImprovement, bestMetrics?.ValidationLoss ?? bestMetrics?.TrainLoss ?? double.NaN);
            history.AddRange(cp.History);
            best = new Dictionary<string, Tensor>(cp.Best);
            first = cp.Epoch + 1;
            // A run that stopped early, or reached this run's epoch limit, is done; a larger limit continues it.
            if (cp.StoppedEarly || cp.Epoch >= Options.Epochs) return Finish(model, best, history, early, cp.StoppedEarly);
        }

        int batches = BatchOrder.Count(train.Count, Options.BatchSize);
        _progress.Started(first, Options.Epochs, batches);
        var clock = Stopwatch.StartNew();
        bool stopped = false;
        for (int epoch = first; epoch <= Options.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            double lr = optimizer.LearningRate;
            // An exponential average folds in every step, a uniform one every epoch's end.
            var (trainLoss, trainAccuracy) = TrainEpoch(train, epoch, batches, streams, optimizer, parameters, average is { IsUniform: false } ? average : null, cancel);
            if (average is { IsUniform: true } && epoch >= average.FromEpoch)
            {
                average.Update();
                if (Options.SwaUpdateBatchNorm) average.RemeasureBuffers(model, () => MeasureBatchNorm(train, epoch, streams, cancel));
            }
            // Once a weight average holds anything, the averaged weights are what is validated and kept.
            var averaged = average is { Steps: > 0 } ? average : null;
            EvaluationResult Validate() => Evaluation.Run(Task, validation!.Set, validation.Indices, Options.EvalBatchSize ?? Options.BatchSize, cancel: cancel);
            EvaluationResult? val = validation is null ? null : averaged is null ? Validate() : averaged.WithAveraged(Validate);
            var metrics = new EpochMetrics(epoch, trainLoss, trainAccuracy, val?.Loss, val?.Accuracy, lr, epochClock.Elapsed.TotalSeconds);
            history.Add(metrics);

            bool isBest = early.Update(metrics);
            if (isBest) best = averaged?.State() ?? Checkpoint.Snapshot(model);
            bool reduced = StepSchedule(schedule, val?.Loss ?? trainLoss);
            stopped = early.ShouldStop && epoch < Options.Epochs;
            if (path is not null) WriteCheckpoint(path, epoch, stopped, history, model, best!, optimizer, schedule, early, average);
            if (folder is not null) HistoryFiles.Write(folder, history);

            var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / (epoch - first + 1) * (Options.Epochs - epoch));
            _progress.Epoch(new EpochReport(metrics, Options.Epochs, isBest, reduced, stopped ? TimeSpan.Zero : eta));
            if (stopped) break;
            cancel.ThrowIfCancellationRequested();
        }
        return Finish(model, best!, history, early, stopped);
    }

    private (double Loss, double Accuracy) TrainEpoch(ExampleSubset<TInput> train, int epoch, int batches, RandomStreams streams,
        Optimizer optimizer, List<Tensor> parameters, WeightAverage? ema, CancellationToken cancel)
    {
        double lossSum = 0;
        long correct = 0, seen = 0;
        int b = 0;
        foreach (var batch in EpochBatches(train, epoch, streams))
        {
            cancel.ThrowIfCancellationRequested();
            optimizer.ZeroGrad();
            var output = Task.Step(batch.Input, batch.Targets);
            double loss = output.Loss.Item();
            if (!double.IsFinite(loss))
                throw new ArithmeticException($"Trainer: the loss of epoch {epoch}, batch {b + 1} is {loss}; lower the learning rate or clip gradients");
            var predictions = Evaluation.ArgMax(output.Scores);
            output.Loss.Backward();
            if (Options.ClipGradNorm is double clip) GradientClipping.ClipGradNorm(parameters, clip);
            optimizer.Step();
            ema?.Update();
            lossSum += loss * batch.Count;
            seen += batch.Count;
            for (int i = 0; i < batch.Count; i++) if (predictions[i] == batch.Targets[i]) correct++;
            _progress.Batch(epoch, ++b, batches, lossSum / seen);
        }
        return (lossSum / seen, (double)correct / seen);
    }

    /// <summary>
    /// Epoch <paramref name="epoch"/>'s training batches, the model in training mode with the epoch's dropout and task
    /// streams: its order and augmentation come from the seed and the epoch alone, so a second pass sees the same ones.
    /// </summary>
    private IEnumerable<Batch<TInput>> EpochBatches(ExampleSubset<TInput> train, int epoch, RandomStreams streams)
    {
        Task.Model.Train();
        streams.SeedDropout(Task.Model, epoch);
        if (Task is IRandomTrainingTask randomTask) randomTask.BeginEpoch(streams.Task(epoch));
        var augment = Options.Augment ? streams.Augment(epoch) : null;
        return train.Set.Batches(train.Indices, Options.BatchSize, streams.Shuffle(epoch), augment);
    }

    /// <summary>
    /// SWA's batch-norm update (Izmailov et al. 2018 §3.2; PyTorch's <c>swa_utils.update_bn</c>): the statistics the
    /// averaged weights produce are not the average of the live weights' ones, so every batch-norm layer's are reset and
    /// measured as a cumulative average over a forward pass, in training mode and without gradients, over epoch
    /// <paramref name="epoch"/>'s training batches (its order, augmentation and dropout again).
    /// </summary>
    private void MeasureBatchNorm(ExampleSubset<TInput> train, int epoch, RandomStreams streams, CancellationToken cancel)
    {
        var model = Task.Model;
        var norms = model.NamedModules().Select(kv => kv.Value).OfType<BatchNorm>().Where(b => b.RunningMean is not null).ToList();
        if (norms.Count == 0) return;
        var momenta = norms.ConvertAll(b => b.Momentum);
        foreach (var b in norms) { b.ResetRunningStats(); b.Momentum = null; }
        try
        {
            using var _ = GradMode.NoGrad();
            foreach (var batch in EpochBatches(train, epoch, streams))
            {
                cancel.ThrowIfCancellationRequested();
                Task.Step(batch.Input, batch.Targets);
            }
        }
        finally { for (int i = 0; i < norms.Count; i++) norms[i].Momentum = momenta[i]; }
    }

    /// <summary>Ends the epoch in the schedule; true when a plateau schedule reduced the rate.</summary>
    private static bool StepSchedule(Tensors.Optim.Schedules.LRSchedule schedule, double metric)
    {
        if (schedule is Tensors.Optim.Schedules.ReduceLROnPlateau plateau) return plateau.Step(metric);
        ((Tensors.Optim.Schedules.EpochLRSchedule)schedule).Step();
        return false;
    }

    private void WriteCheckpoint(string path, int epoch, bool stoppedEarly, List<EpochMetrics> history, Module model,
        Dictionary<string, Tensor> best, Optimizer optimizer, Tensors.Optim.Schedules.LRSchedule schedule, EarlyStopping early, WeightAverage? average)
    {
        new Checkpoint
        {
            Epoch = epoch,
            Seed = Options.Seed,
            Threads = Engine.Threads,
            StoppedEarly = stoppedEarly,
            History = history,
            Model = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            Best = best,
            Optimizer = optimizer.StateDict(),
            Schedule = schedule.StateDict(),
            BestMetric = early.BestMetric,
            BestEpoch = early.BestEpoch,
            EpochsWithoutImprovement = early.EpochsWithoutImprovement,
            Ema = average?.ToSavedState(),
        }.Save(path);
    }

    private TrainingResult Finish(Module model, Dictionary<string, Tensor> best, List<EpochMetrics> history, EarlyStopping early, bool stoppedEarly)
    {
        model.LoadStateDict(best, strict: true, source: "best weights");
        var result = new TrainingResult(history, early.BestEpoch, stoppedEarly);
        _progress.Finished(result);
        return result;
    }
}
