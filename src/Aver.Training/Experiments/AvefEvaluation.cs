using System.Globalization;
using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Data.Protocols;
using Aver.Features.Avef;
using Aver.Features.Cache;
using Aver.Features.Vad;
using Aver.Media;
using Aver.Models.Avef;
using Aver.Models.Svm;
using Aver.Training.Config;
using Aver.Training.Data;
using Aver.Training.Reports;
using Aver.Training.Training;

namespace Aver.Training.Experiments;

/// <summary>
/// <c>aver evaluate CONFIG</c> for <c>model.type: avef</c> (an <see cref="IExperiment"/>): the config's corpus
/// (speech clips; audio-only files for audio-only AVEF, audio-video clips otherwise) in its label space
/// (e.g. RAVDESS → basic6 drops neutral and calm, AVEF §4.1), the AVEF segments of every clip (cached),
/// and the stages of <see cref="AvefExperiment"/> on every fold; the rows make a report laid out like AVEF
/// Tables 4-10: clip-level accuracy per fold and mean for the unimodal networks and the fusion, confusion matrices.
/// </summary>
public sealed class AvefEvaluation(ExperimentConfig config, string configPath) : IExperiment
{
    private readonly bool _audioOnly = config.Model?.Modality is not null;
    private readonly LabelSpace _labels = LabelSpaces.Find(config.Labels!) ?? throw new ArgumentException($"{configPath}: unknown label space '{config.Labels}'");

    /// <summary>Speech clips of the wanted modality in the config's label space (e.g. RAVDESS → basic6 drops neutral and calm, AVEF §4.1).</summary>
    public Catalog Select(Catalog catalog) => OpenCatalog(catalog, _audioOnly, _labels, configPath, config.Dataset?.Path);

    /// <summary>
    /// The AVEF segments of every clip (through the context's feature cache), then <see cref="AvefExperiment"/> on the plan's folds.
    /// A run whose training epochs differ from the config's (<c>aver evaluate --epochs N</c>) runs every stage for that many epochs.
    /// </summary>
    public ExperimentResult Run(SplitPlan plan, ExperimentContext context)
    {
        var avef = config.Model!.Avef ?? new AvefModelConfig();
        var log = context.Log ?? TextWriter.Null;
        int? epochs = context.Training.Epochs != ExperimentConfigLoader.TrainerOptions(config).Epochs ? context.Training.Epochs : null;
        var settings = Settings(config, epochs);
        var cache = context.Cache ?? new FeatureCache(avef.FeatureCache ?? Path.Combine("runs", "feature-cache"));
        var video = config.Features.Video;
        // One front-end object: training's pipelines come from it, and each fold's model file carries it for prediction.
        var frontEnds = new AvefFrontEnds(avef.Case, avef.MinSpeechFraction, avef.Standardize, video.FaceSize, video.Color == "gray", video.Fps);
        var audio = frontEnds.AudioPipeline(cache);
        var visual = _audioOnly ? null : frontEnds.VisualPipeline(new FaceTracker(BlazeFace.Load(new BlazeFaceOptions())), cache);
        var items = plan.Catalog.Items;
        log.WriteLine($"{config.Name}: AVEF features of {items.Count} clips ({_labels.Name}); {audio}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var set = AvefSegmentSet.Build(items, _labels, audio, visual,
            (done, total) => { if (done == total || done % 100 == 0) log.WriteLine($"features: {done}/{total} clips"); });
        log.WriteLine($"features: {set.Count} segments of {set.SegmentsBeforeSelection} kept in {clock.Elapsed.TotalSeconds:F0} s (cache hits {cache.Hits}, misses {cache.Misses})");

        var rows = AvefExperiment.Run(set, new FoldIndices(items, config.Name!), plan, settings, context.Training, context.RunFolder,
            context.ProgressFor, context.Folds, line => log.WriteLine(line),
            frontEnds, context.Cancel, context.Provenance);

        var notes = new List<string>
        {
            $"AVEF (Ma et al. 2019), {(_audioOnly ? "audio only (audio-net + DBN + SVM)" : "audio + video")}, case {avef.Case}: {audio}. " +
            $"Segments: {set.Count} of {set.SegmentsBeforeSelection} ({100.0 * set.Count / Math.Max(1, set.SegmentsBeforeSelection):F1} %) kept from {set.ClipCount} clips.",
            $"audio-net width {settings.Audio.Width} fc {settings.Audio.FcSize}{(settings.Visual is { } v ? $"; visual-net width {v.Width} fc {v.FcSize} on {v.Frames}x{v.InputHeight}x{v.InputWidth} faces" : "")}; " +
            $"DBN {string.Join("-", settings.DbnHidden)}; stages: networks {settings.AudioEpochs}{(settings.Visual is null ? "" : $"/{settings.VisualEpochs}")} epochs, RBMs {settings.BinaryRbm.Epochs}, whole model {settings.WholeEpochs}; " +
            $"SVM polynomial degree {settings.SvmParameters.Degree}, coef0 {settings.SvmParameters.Coef0}, C {settings.SvmParameters.C}, probabilities" +
            (settings.TransferFrom is null ? "." : $"; transfer from {settings.TransferFrom} ({(settings.FreezeShallow ? "trunks frozen" : "trunks fine-tuned")})."),
            "Rows are clip-level: a network's or the DBN's prediction is the arg-max of its softmax averaged over the clip's segments; the SVM classifies the clip's pooled DBN feature (§2.2.4), trained on the fold's training and validation clips.",
            $"Optimiser: the trainer's AdamW at {context.Training.LearningRate} with early stopping on the validation speakers (the paper: SGD with momentum 0.9 at 0.001, Table 3).",
        };
        return new ExperimentResult(rows, notes);
    }

    /// <summary>The catalog's speech clips of the wanted modality, in <paramref name="labels"/> (unmapped classes dropped).</summary>
    public static Catalog OpenCatalog(Catalog catalog, bool audioOnly, LabelSpace labels, string configPath, string? datasetPath = null)
    {
        catalog = catalog.Speech().Where(i => audioOnly ? i.Modality == Modality.Audio : i.Modality == Modality.AudioVideo);
        if (!catalog.Labels.Equals(labels))
        {
            var map = LabelMaps.Between(catalog.Labels, labels)
                ?? throw new ArgumentException($"{configPath}: no label map from {catalog.Labels.Name} to {labels.Name}");
            catalog = catalog.Relabel(map);
        }
        if (catalog.Items.Count == 0)
            throw new ArgumentException($"{configPath}: {datasetPath ?? catalog.Root} has no {(audioOnly ? "audio" : "audio-video")} speech clips in {labels.Name}");
        return catalog;
    }

    /// <summary>The AVEF settings of a config (<paramref name="epochs"/> overrides every stage's epochs).</summary>
    public static AvefSettings Settings(ExperimentConfig config, int? epochs = null)
    {
        var m = config.Model!;
        var a = m.Avef ?? new AvefModelConfig();
        var video = config.Features.Video;
        float dropout = (float)m.Dropout;
        var audio = new AudioNetConfig(Width: a.AudioWidth, FcSize: a.AudioFc, Dropout: dropout, BatchNorm: a.BatchNorm);
        var visual = m.Modality is not null ? null
            : new VisualNetConfig(Width: a.VisualWidth, FcSize: a.VisualFc, InChannels: video.Color == "gray" ? 1 : 3,
                InputHeight: video.FaceSize, InputWidth: video.FaceSize, Dropout: dropout, BatchNorm: a.BatchNorm);
        return new AvefSettings(audio, visual, a.DbnHidden,
            AudioEpochs: epochs ?? a.AudioEpochs, VisualEpochs: epochs ?? a.VisualEpochs, WholeEpochs: epochs ?? a.WholeEpochs, WholeBatchSize: a.WholeBatchSize,
            Rbm: new RbmTraining(Epochs: epochs ?? a.RbmEpochs, LearningRate: a.RbmLearningRate),
            Svm: new SvmParameters(SvmKernel.Polynomial, a.SvmDegree, a.SvmGamma, a.SvmCoef0, a.SvmC, Probability: true),
            TransferFrom: a.TransferFrom, FreezeShallow: a.FreezeShallow);
    }
}
