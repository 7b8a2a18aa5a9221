using System.Globalization;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Data.Protocols;
using Aver.Models.Avef;
using Aver.Models.Spec;
using Aver.Models.Svm;
using Aver.Tensors;
using Aver.Training.Data;
using Aver.Data.Metrics;
using Aver.Training.Reports;
using Aver.Training.Tasks;
using Aver.Training.Training;

namespace Aver.Training.Experiments;

/// <summary>What AVEF gave on one fold: a row per model (networks, DBN softmax, DBN + SVM) and the stages' curves.</summary>
public sealed record AvefFoldResult(string Fold, IReadOnlyDictionary<string, FoldOutcome> Rows);

/// <summary>
/// AVEF over a protocol's folds (Ma et al. 2019, §2.2): per fold, (1) the audio-network and (2) the
/// visual-network trained on segments with the clip label, each through <see cref="Trainer{TInput}"/>
/// with early stopping on the fold's validation speakers; (3) the DBN pre-trained greedily as RBMs on the
/// concatenated fc7 features of the training segments, then (4) the whole model fine-tuned with the DBN's
/// softmax; (5) clip features = the average of the DBN's last hidden layer over a clip's segments, and
/// a LIBSVM polynomial-kernel SVM with probabilities trained on the training and validation clips and
/// tested on the test clips (§2.2.4). Every stage is checkpointed under
/// <c>folds/avef/&lt;fold&gt;/&lt;stage&gt;/</c>, so a killed run resumes; the fold's model is saved as an
/// model file (spec family "avef") (<c>avef.safetensors</c>: network, SVM, labels, front end) that <c>aver predict</c> reads. Rows are at clip level: a network's or the DBN's clip
/// prediction is the arg-max of its softmax averaged over the clip's segments. Folds are chosen by
/// <see cref="FoldRunner.Select"/> and seeded by <see cref="CrossValidation{TInput}.FoldSeed"/> as every experiment's;
/// a fold is not one <see cref="CrossValidation{TInput}"/> task because it is four trainings and an SVM giving four rows.
/// </summary>
public static class AvefExperiment
{
    public const string AudioRow = "audio-net";
    public const string VisualRow = "visual-net";
    public const string DbnRow = "DBN softmax";
    public const string SvmRow = "AVEF (DBN + SVM)";

    /// <summary>The fold's trained model (model file (spec family "avef"): network, SVM, labels, front end) in its folder.</summary>
    public const string BundleFileName = "avef.safetensors";

    /// <summary>The rows of the report, in the order of AVEF Tables 4-7 (unimodal first, then fusion).</summary>
    public static IReadOnlyList<string> Rows(bool audioVisual) => audioVisual ? [AudioRow, VisualRow, DbnRow, SvmRow] : [AudioRow, DbnRow, SvmRow];

    public static IReadOnlyList<ModelOutcome> Run(AvefSegmentSet set, FoldIndices clips, SplitPlan plan, AvefSettings settings, TrainerOptions training,
        string runFolder, Func<string, ITrainingProgress>? progressFor = null, IReadOnlyList<string>? folds = null, Action<string>? log = null,
        AvefFrontEnds? frontEnds = null, CancellationToken cancel = default, Provenance? provenance = null)
    {
        if (settings.AudioVisual != (set.Visual is not null))
            throw new ArgumentException($"AVEF: the settings are {(settings.AudioVisual ? "audio-visual" : "audio-only")} but the example set {(set.Visual is null ? "has no faces" : "has faces")}");
        var results = new List<AvefFoldResult>();
        foreach (var fold in FoldRunner.Select(plan, folds))
        {
            cancel.ThrowIfCancellationRequested();
            results.Add(RunFold(set, clips.Of(fold, SplitPart.Train), clips.Of(fold, SplitPart.Validation), clips.Of(fold, SplitPart.Test),
                fold.Name, settings, training, runFolder, progressFor?.Invoke(fold.Name), log, frontEnds, cancel, provenance));
        }
        return Rows(settings.AudioVisual).Select(r => new ModelOutcome(r, results.Select(f => f.Rows[r]).ToList())).ToList();
    }

    /// <summary>One fold: the stages on the given clip indices of <paramref name="set"/>.</summary>
    public static AvefFoldResult RunFold(AvefSegmentSet set, int[] trainClips, int[] validationClips, int[] testClips, string foldName,
        AvefSettings settings, TrainerOptions training, string runFolder, ITrainingProgress? progress = null, Action<string>? log = null,
        AvefFrontEnds? frontEnds = null, CancellationToken cancel = default, Provenance? provenance = null)
    {
        if (trainClips.Length == 0 || testClips.Length == 0) throw new ArgumentException($"AVEF fold {foldName}: the training and test sides need clips");
        ulong seed = CrossValidation<AvefSegments>.FoldSeed(training.Seed, foldName);
        var rng = new RandomStream(seed);
        string folder = Path.Combine(runFolder, "folds", "avef", ReportWriter.Slug(foldName));
        var model = settings.Build(set.Labels.Count, rng.Fork("init"));
        if (settings.TransferFrom is string source) model.StartTransfer(source, rng.Fork("transfer"), settings.FreezeShallow);

        var train = new ExampleSubset<AvefSegments>(set, set.SegmentsOf(trainClips));
        var validation = validationClips.Length == 0 ? null : new ExampleSubset<AvefSegments>(set, set.SegmentsOf(validationClips));
        int evalBatch = training.EvalBatchSize ?? training.BatchSize;
        var histories = new Dictionary<string, IReadOnlyList<EpochMetrics>>();

        // (1), (2): the networks alone (§4.2: "in pre-training stage, audio-network and visual-network are trained separately").
        if (settings.AudioEpochs > 0)
            histories[AudioRow] = Fit(new AvefTask(model, AvefStage.AudioNet), training with { Epochs = settings.AudioEpochs, Seed = rng.Fork("audio-net").Seed },
                train, validation, Path.Combine(folder, "audio-net"), progress, cancel);
        if (model.Visual is not null && settings.VisualEpochs > 0)
            histories[VisualRow] = Fit(new AvefTask(model, AvefStage.VisualNet), training with { Epochs = settings.VisualEpochs, Seed = rng.Fork("visual-net").Seed },
                train, validation, Path.Combine(folder, "visual-net"), progress, cancel);

        // (3): greedy layer-wise RBM pre-training of the DBN on the training segments' fc7 features (skipped when resuming the whole stage).
        string wholeFolder = Path.Combine(folder, "whole");
        if (!File.Exists(Checkpoint.PathIn(wholeFolder)))
        {
            var fc7 = SegmentFeatures(model, set, train.Indices, evalBatch);
            var report = model.Dbn.Pretrain(fc7, rng.Fork("dbn-pretrain"), settings.BinaryRbm, settings.GaussianRbm);
            log?.Invoke($"[{foldName}] DBN pre-training: reconstruction error per RBM {Format(report.Before)} -> {Format(report.After)}");
        }
        // (4): the whole model, audio-network + visual-network + DBN, fine-tuned on the DBN's loss (§2.2.3).
        var wholeOptions = training with { Epochs = settings.WholeEpochs, Seed = rng.Fork("whole").Seed, BatchSize = settings.WholeBatchSize ?? training.BatchSize };
        histories[DbnRow] = Fit(new AvefTask(model, AvefStage.Whole), wholeOptions, train, validation, wholeFolder, progress, cancel);

        // (5): clip fusion. Every clip's segments through the final model, then averaged per clip.
        var fitClips = trainClips.Concat(validationClips).ToArray();
        var fit = ClipOutputs(model, set, fitClips, evalBatch);
        var test = ClipOutputs(model, set, testClips, evalBatch);
        using var svm = TrainSvm(fit.Fused, fitClips.Select(set.ClipLabel).ToArray(), settings.SvmParameters, (uint)(rng.Fork("svm").Seed & 0xffffffff));
        var truth = testClips.Select(set.ClipLabel).ToArray();
        var svmPredictions = svm?.Predict(test.Fused) ?? Enumerable.Repeat(fitClips.Select(set.ClipLabel).First(), testClips.Length).ToArray();

        SaveModel(Path.Combine(folder, BundleFileName), model, svm, set.Labels, frontEnds ?? new AvefFrontEnds(), foldName, provenance);

        var rows = new Dictionary<string, FoldOutcome>
        {
            [AudioRow] = Outcome(set.Labels, foldName, truth, Evaluation.ArgMax(test.AudioProbabilities), histories.GetValueOrDefault(AudioRow)),
            [DbnRow] = Outcome(set.Labels, foldName, truth, Evaluation.ArgMax(test.DbnProbabilities), histories[DbnRow]),
            [SvmRow] = Outcome(set.Labels, foldName, truth, svmPredictions, null) with { Features = ToMatrix(test.Fused), FeatureClasses = truth },
        };
        if (test.VisualProbabilities is { } visual)
            rows[VisualRow] = Outcome(set.Labels, foldName, truth, Evaluation.ArgMax(visual), histories.GetValueOrDefault(VisualRow));
        return new AvefFoldResult(foldName, rows);
    }

    private static IReadOnlyList<EpochMetrics> Fit(AvefTask task, TrainerOptions options, ExampleSubset<AvefSegments> train,
        ExampleSubset<AvefSegments>? validation, string folder, ITrainingProgress? progress, CancellationToken cancel) =>
        new Trainer<AvefSegments>(task, options, progress).Fit(train, validation, folder, resume: true, cancel).History;

    /// <summary>
    /// The SVM on clip features, or null when the training clips hold a single class (LIBSVM needs two;
    /// the fold then predicts that class, as any classifier trained on one class would).
    /// </summary>
    /// <summary>
    /// Writes a fold's model file: the segment model with its spec (architecture, labels, front ends; the fold in the
    /// extra) and the clip SVM as the spec's "svm" component (none when the training clips held one class: the DBN softmax then answers).
    /// </summary>
    private static void SaveModel(string path, IAvefSegmentModel model, SvmClassifier? svm, LabelSpace labels, AvefFrontEnds frontEnds, string fold, Provenance? provenance)
    {
        var architecture = model.Visual is null
            ? new AvefArchitecture(model.Audio.Config, null, model.Dbn.Config.HiddenSizes)
            : new AvefArchitecture(model.Audio.Config, model.Visual.Config, model.Dbn.Config.HiddenSizes);
        var spec = new ModelSpec(AvefArchitecture.Family, ModelSpec.ToJson(architecture), new LabelSpec(labels.Name, labels.Names.ToArray()),
            frontEnds.ToSpec(architecture.AudioVisual), Provenance: provenance, Extra: new Dictionary<string, string> { ["fold"] = fold },
            Components: svm is null ? null : new Dictionary<string, string> { ["svm"] = svm.ToText() });
        ModelFile.Save(path, model.Module, spec);
    }

    private static SvmClassifier? TrainSvm(Tensor features, int[] labels, SvmParameters parameters, uint seed) =>
        labels.Distinct().Count() < 2 ? null : SvmClassifier.Train(features, labels, parameters, seed);

    /// <summary>The DBN's input (concatenated fc7) [N, D] of <paramref name="segments"/>, in evaluation mode.</summary>
    public static Tensor SegmentFeatures(IAvefSegmentModel model, AvefSegmentSet set, IReadOnlyList<int> segments, int batchSize)
    {
        var parts = new List<Tensor>();
        using (EvalScope(model))
            foreach (var batch in set.Batches(segments, batchSize))
                parts.Add(model.SegmentFeatures(batch.Input.Audio, batch.Input.Visual));
        return Tensor.Concat(parts, 0);
    }

    /// <summary>Clip-level outputs: softmaxes and the DBN's last hidden layer averaged over each clip's segments (<see cref="ClipPooling"/>).</summary>
    /// <param name="Fused">[clips, D]: the SVM's input (§2.2.4).</param>
    public sealed record ClipOutputsResult(Tensor Fused, Tensor DbnProbabilities, Tensor AudioProbabilities, Tensor? VisualProbabilities);

    /// <summary>Runs <paramref name="clips"/>' segments through <paramref name="model"/> (evaluation mode) and pools them per clip.</summary>
    public static ClipOutputsResult ClipOutputs(IAvefSegmentModel model, AvefSegmentSet set, IReadOnlyList<int> clips, int batchSize)
    {
        var fused = new List<Tensor>();
        var dbn = new List<Tensor>();
        var audio = new List<Tensor>();
        var visual = new List<Tensor>();
        using (EvalScope(model))
            foreach (var batch in set.Batches(set.SegmentsOf(clips), batchSize))
            {
                var o = model.Forward(batch.Input.Audio, batch.Input.Visual);
                fused.Add(o.Fused);
                dbn.Add(o.Scores.Softmax(1));
                audio.Add(o.AudioScores.Softmax(1));
                if (o.VisualScores is { } v) visual.Add(v.Softmax(1));
            }
        var counts = clips.Select(set.SegmentCount).ToArray();
        Tensor Pool(List<Tensor> rows) => ClipPooling.Average(Tensor.Concat(rows, 0), counts);
        using var _ = GradMode.NoGrad();
        return new ClipOutputsResult(Pool(fused), Pool(dbn), Pool(audio), visual.Count == 0 ? null : Pool(visual));
    }

    private static IDisposable EvalScope(IAvefSegmentModel model)
    {
        bool wasTraining = model.Module.Training;
        model.Module.Eval();
        var noGrad = GradMode.NoGrad();
        return new Restore(() => { noGrad.Dispose(); model.Module.Train(wasTraining); });
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private static FoldOutcome Outcome(LabelSpace labels, string fold, int[] truth, int[] predicted, IReadOnlyList<EpochMetrics>? history) =>
        new(fold, ConfusionMatrix.From(labels, truth, predicted), history);

    private static float[,] ToMatrix(Tensor t)
    {
        int n = t.Dim(0), d = t.Dim(1);
        var m = new float[n, d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) m[i, j] = t.Data[i * d + j];
        return m;
    }

    private static string Format(IReadOnlyList<float> values) => string.Join(", ", values.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)));
}
