using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Data.Protocols;
using Aver.Features.Mrpn;
using Aver.Models.Mrpn;
using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Training.Data;
using Aver.Training.Reports;
using Aver.Training.Tasks;
using Aver.Training.Training;

namespace Aver.Training.Experiments;

/// <summary>Settings of the audio-only MRPN network (AM of MRPN Table 1) in an experiment.</summary>
/// <param name="Width">ResNet-18 width of F_a (64 in the paper).</param>
/// <param name="Pool">Average-pooling factor of the 256 x 250 spectrograms (1 = the paper's size; 2 or 4 for a CPU).</param>
/// <param name="Hidden">Aggregator size (LSTM hidden units or Transformer d_model).</param>
/// <param name="ScoringHidden">Hidden units of the Scoring component (eq. 2).</param>
/// <param name="ExtractorInit">A saved ResNet-18 to start F_a from (its fc is dropped), or null.</param>
public sealed record AudioModelSettings(int Width = 16, int Pool = 2, AggregatorKind Aggregator = AggregatorKind.Lstm,
    int Hidden = 128, int ScoringHidden = 64, float Dropout = 0.3f, string? ExtractorInit = null);

/// <summary>
/// MRPN's audio-modality network (AM, Table 1) over a protocol's folds through
/// <see cref="CrossValidation{TInput}"/>: per fold a fresh network trained on the fold's training
/// speakers with early stopping on its validation speakers, then tested on its test speakers. Every
/// fold is checkpointed in its own folder, so a killed run resumes.
/// </summary>
public static class AudioOnlyExperiment
{
    public static ModelOutcome Run(string name, SplitPlan plan, LabelSpace labels, AudioModelSettings model, TrainerOptions training,
        string runFolder, Func<string, ITrainingProgress>? progressFor = null, IReadOnlyList<string>? folds = null, CancellationToken cancel = default)
    {
        var items = plan.Catalog.Items;
        var set = new AudioClipSet(items, labels, new MrpnAudioPipeline(new MrpnAudioOptions(), model.Pool));
        var index = new FoldIndices(items, name);
        var foldData = plan.Folds
            .Where(f => folds is not { Count: > 0 } || folds.Contains(f.Name))
            .Select(f => new FoldData<StepSequence>(f.Name,
                new ExampleSubset<StepSequence>(set, index.Of(f, SplitPart.Train)),
                new ExampleSubset<StepSequence>(set, index.Of(f, SplitPart.Validation)),
                new ExampleSubset<StepSequence>(set, index.Of(f, SplitPart.Test))))
            .ToList();
        if (foldData.Count == 0) throw new ArgumentException($"{name}: no fold matches ({string.Join(", ", folds ?? [])}); the plan has {string.Join(", ", plan.Folds.Select(f => f.Name))}");
        return new CrossValidation<StepSequence>(training, progressFor).Run(name, foldData,
            (_, seed) => new UnimodalTask(Build(model, labels.Count, new RandomStream(seed))), runFolder, resume: true, withFeatures: true, cancel);
    }

    /// <summary>The AM network: F_a (ResNet-18 over 1-channel segments), A_a, FeatureNorm and Scoring.</summary>
    public static UnimodalNetwork Build(AudioModelSettings s, int classes, RandomStream rng)
    {
        var branch = new ModalityBranch(new ResNetConfig(InChannels: 1, Width: s.Width), s.Aggregator, s.Hidden, rng.Fork("branch"));
        if (s.ExtractorInit is not null) LoadExtractor(branch.Extractor, s.ExtractorInit);
        return new UnimodalNetwork(branch, s.ScoringHidden, classes, s.Dropout, rng.Fork("head"));
    }

    /// <summary>
    /// Starts an extractor from a saved ResNet-18 (e.g. <c>aver pretrain</c>'s output): its <c>fc</c> is
    /// dropped; any missing or mis-shaped tensor is an error naming the file.
    /// </summary>
    public static void LoadExtractor(ResNet18 extractor, string path)
    {
        var file = Aver.Tensors.IO.SafeTensors.Load(path);
        var result = extractor.LoadStateDict(file.Tensors, strict: false, source: path);
        if (result.Missing.Count > 0)
            throw new Aver.Tensors.Nn.StateDictException($"{path} does not hold a ResNet-18 extractor of this size: {result}");
    }
}
