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
/// <c>aver evaluate CONFIG</c> for <c>model.type: avef</c>: the config's corpus (speech clips; audio-only
/// files for audio-only AVEF, audio-video clips otherwise) in its label space (e.g. RAVDESS → basic6 drops
/// neutral and calm, AVEF §4.1), the protocol's folds, the AVEF segments of every clip (cached), the
/// stages of <see cref="AvefExperiment"/> on every fold, and a report folder laid out like AVEF Tables 4-10:
/// clip-level accuracy per fold and mean for the unimodal networks and the fusion, confusion matrices.
/// </summary>
public static class AvefEvaluation
{
    /// <summary>Runs the experiment; writes the report folder <paramref name="outDir"/>; returns the outcome.</summary>
    /// <param name="epochs">Overrides every stage's epoch count (quick runs).</param>
    /// <param name="output">Per-fold results and the summary.</param>
    /// <param name="log">Progress.</param>
    public static ExperimentOutcome Run(ExperimentConfig config, string configPath, string outDir, IReadOnlyList<string>? folds, int? epochs,
        TextWriter output, TextWriter log, CancellationToken cancel = default)
    {
        var model = config.Model ?? throw new ArgumentException($"{configPath}: no model section");
        var avef = model.Avef ?? new AvefModelConfig();
        bool audioOnly = model.Modality is not null;
        var training = ExperimentConfigLoader.TrainerOptions(config);
        var settings = Settings(config, epochs);
        var labels = LabelSpaces.Find(config.Labels!) ?? throw new ArgumentException($"{configPath}: unknown label space '{config.Labels}'");

        var catalog = OpenCatalog(config, audioOnly, labels, configPath);
        int? k = config.Protocol!.Params.TryGetValue("k", out var kv) ? int.Parse(kv, CultureInfo.InvariantCulture) : null;
        var plan = ProtocolRegistry.Create(config.Protocol.Name!, k).Make(catalog, config.Protocol.Seed ?? config.Seed);
        Directory.CreateDirectory(outDir);
        ExperimentConfigLoader.WriteResolved(config, outDir);
        SplitManifest.Write(plan, Path.Combine(outDir, "splits"));
        folds = folds is { Count: > 0 } ? folds : config.Protocol.Folds.Count > 0 ? config.Protocol.Folds : null;

        var cache = new FeatureCache(avef.FeatureCache ?? Path.Combine("runs", "feature-cache"));
        var handling = avef.Case == 2 ? SilenceHandling.DropSilent : SilenceHandling.KeepAll;
        var audio = new AvefAudioPipeline(new AvefAudioOptions(), handling, avef.MinSpeechFraction, cache, standardize: avef.Standardize);
        var visual = audioOnly ? null : VisualPipeline(config, cache);
        log.WriteLine($"{config.Name}: {plan.Folds.Count} folds of {plan.Protocol}; {catalog.Items.Count} clips ({labels.Name}); {audio}; writing {outDir}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var set = AvefSegmentSet.Build(catalog.Items, labels, audio, visual,
            (done, total) => { if (done == total || done % 100 == 0) log.WriteLine($"features: {done}/{total} clips"); });
        log.WriteLine($"features: {set.Count} segments of {set.SegmentsBeforeSelection} kept in {clock.Elapsed.TotalSeconds:F0} s (cache hits {cache.Hits}, misses {cache.Misses})");

        var rows = AvefExperiment.Run(set, new FoldIndices(catalog.Items, config.Name!), plan, settings, training, outDir,
            fold => new PlainTextProgress(log, $"[{fold}] "), folds, line => log.WriteLine(line),
            new AvefBundleSettings(avef.Case, avef.MinSpeechFraction, avef.Standardize, config.Features.Video.FaceSize, config.Features.Video.Color == "gray", config.Features.Video.Fps),
            cancel);

        var notes = new List<string>
        {
            $"AVEF (Ma et al. 2019), {(audioOnly ? "audio only (audio-net + DBN + SVM)" : "audio + video")}, case {avef.Case}: {audio}. " +
            $"Segments: {set.Count} of {set.SegmentsBeforeSelection} ({100.0 * set.Count / Math.Max(1, set.SegmentsBeforeSelection):F1} %) kept from {set.ClipCount} clips.",
            $"Protocol {plan.Protocol}{(k is null ? "" : $" (k = {k})")}, seed {plan.Seed}{(plan.SpeakerDependent ? " (SPEAKER-DEPENDENT split)" : ", speaker-independent")}.",
            $"audio-net width {settings.Audio.Width} fc {settings.Audio.FcSize}{(settings.Visual is { } v ? $"; visual-net width {v.Width} fc {v.FcSize} on {v.Frames}x{v.InputHeight}x{v.InputWidth} faces" : "")}; " +
            $"DBN {string.Join("-", settings.DbnHidden)}; stages: networks {settings.AudioEpochs}{(settings.Visual is null ? "" : $"/{settings.VisualEpochs}")} epochs, RBMs {settings.BinaryRbm.Epochs}, whole model {settings.WholeEpochs}; " +
            $"SVM polynomial degree {settings.SvmParameters.Degree}, coef0 {settings.SvmParameters.Coef0}, C {settings.SvmParameters.C}, probabilities" +
            (settings.TransferFrom is null ? "." : $"; transfer from {settings.TransferFrom} ({(settings.FreezeShallow ? "trunks frozen" : "trunks fine-tuned")})."),
            "Rows are clip-level: a network's or the DBN's prediction is the arg-max of its softmax averaged over the clip's segments; the SVM classifies the clip's pooled DBN feature (§2.2.4), trained on the fold's training and validation clips.",
            $"Optimiser: the trainer's AdamW at {training.LearningRate} with early stopping on the validation speakers (the paper: SGD with momentum 0.9 at 0.001, Table 3).",
            $"Command: aver evaluate {configPath}{(folds is null ? "" : $" --folds \"{string.Join(';', folds)}\"")}{(epochs is null ? "" : $" --epochs {epochs}")}",
        };
        notes.AddRange(plan.Notes);
        var outcome = new ExperimentOutcome(config.Name!, labels, rows, notes);
        ReportWriter.Write(outDir, outcome);
        foreach (var row in rows)
        {
            foreach (var f in row.Folds) output.WriteLine($"{row.Name,-18} {f.Fold,-6} accuracy {f.Accuracy:P1}  UAR {f.Uar:P1}");
            output.WriteLine($"{row.Name,-18} mean   accuracy {row.Accuracy.Mean:P1}  UAR {row.Uar.Mean:P1}");
        }
        output.WriteLine($"report: {Path.Combine(outDir, "report.md")} ({clock.Elapsed.TotalMinutes:F1} min)");
        return outcome;
    }

    /// <summary>The corpus's speech clips of the wanted modality, in <paramref name="labels"/> (unmapped classes dropped).</summary>
    public static Catalog OpenCatalog(ExperimentConfig config, bool audioOnly, LabelSpace labels, string configPath)
    {
        var catalog = DatasetReader.Open(config.Dataset!.Path!, config.Dataset.Kind)
            .Where(i => (audioOnly ? i.Modality == Modality.Audio : i.Modality == Modality.AudioVideo) && i.Field("vocal_channel") is null or "speech");
        if (!catalog.Labels.Equals(labels))
        {
            var map = LabelMaps.Between(catalog.Labels, labels)
                ?? throw new ArgumentException($"{configPath}: no label map from {catalog.Labels.Name} to {labels.Name}");
            catalog = catalog.Relabel(map);
        }
        if (catalog.Items.Count == 0)
            throw new ArgumentException($"{configPath}: {config.Dataset.Path} has no {(audioOnly ? "audio" : "audio-video")} speech clips in {labels.Name}");
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

    private static AvefVisualPipeline VisualPipeline(ExperimentConfig config, FeatureCache cache)
    {
        var v = config.Features.Video;
        var crop = new FaceCropOptions { Style = FaceCropStyle.Avef, Size = v.FaceSize, Color = v.Color == "gray" ? ImageColor.Gray : ImageColor.Rgb };
        return new AvefVisualPipeline(new FaceTracker(BlazeFace.Load(new BlazeFaceOptions())), crop, v.Fps, cache);
    }
}
