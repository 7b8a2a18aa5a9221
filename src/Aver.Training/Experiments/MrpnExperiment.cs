using Aver.Data.Catalogs;
using Aver.Data.Pipelines;
using Aver.Data.Protocols;
using Aver.Models.Mrpn;
using Aver.Models.Spec;
using Aver.Tensors;
using Aver.Training.Data;
using Aver.Training.Reports;
using Aver.Training.Tasks;

namespace Aver.Training.Experiments;

/// <summary>
/// MRPN's experiments over a protocol's folds (Tables 1-3): AM or VM alone, or N0/N1/N2 over audio and
/// video trained end to end, or by late fusion: per fold AM and VM are trained (or loaded from an earlier
/// run), their extractors and aggregators copied into the fusion network and frozen
/// (<see cref="MrpnNetwork.FreezeBranches"/>), and only the fusion trained. Late fusion reports the AM
/// and VM rows beside the fused one, like Table 1. Every row goes through <see cref="FoldRunner"/>; each fold's
/// best network is also written as an model file (<see cref="ModelSpec"/>) (<see cref="BundleFileName"/>, beside best.safetensors)
/// that <c>aver predict --model</c> reads.
/// </summary>
public sealed class MrpnExperiment(MrpnExperimentSettings settings) : IExperiment
{
    public MrpnExperimentSettings Settings { get; } = settings;

    /// <summary>The fold's trained model (model file (<see cref="ModelSpec"/>): network, labels, front ends) in its folder.</summary>
    public const string BundleFileName = "mrpn.safetensors";

    /// <summary>
    /// Speech clips only (MRPN §5.1). AM takes the audio-only files; VM and the fusion networks take each
    /// take with a video once: an audio file with its paired video (RAVDESS `03-` + `01-`), else an
    /// audio-video file on its own (its audio is decoded from it), and for VM also video-only files.
    /// </summary>
    public Catalog Select(Catalog catalog)
    {
        var speech = catalog.Speech();
        if (Settings.Kind == MrpnModelKind.Audio) return speech.Where(i => i.Modality == Modality.Audio);
        var paired = speech.Items.Where(i => i.Modality == Modality.Audio && i.PairedVideo is not null).Select(i => i.RecordingId).ToHashSet(StringComparer.Ordinal);
        return speech.Where(i => i.Modality == Modality.Audio ? i.PairedVideo is not null
            : !paired.Contains(i.RecordingId) && (i.Modality == Modality.AudioVideo || (i.Modality == Modality.Video && Settings.Kind == MrpnModelKind.Video)));
    }

    public ExperimentResult Run(SplitPlan plan, ExperimentContext context)
    {
        var s = Settings;
        var items = plan.Catalog.Items;
        var labels = plan.Catalog.Labels;
        if (items.Count == 0) throw new ArgumentException($"{plan.Catalog.Root}: no clips for {s.Kind} (a network with video needs clips with a video)");
        var audio = new MrpnAudioPipeline(s.AudioFeatures, s.AudioPool);
        var video = new MrpnVideoPipeline(s.Video, context.Cache);
        var notes = new List<string>();
        string t = context.Training.Augment ? "T" : "NT";
        if (s.Kind != MrpnModelKind.Audio) notes.Add(PrepareFaces(items, video, context.Log));

        var rows = new List<ModelOutcome>();
        if (s.Kind == MrpnModelKind.Audio || (s.Kind == MrpnModelKind.Fusion && s.Strategy == FusionStrategy.LateFusion && s.AudioNetwork is null))
            rows.Add(FoldRunner.Run($"AM ({t})", plan, items, new AudioClipSet(items, labels, audio),
                (_, seed) => new UnimodalTask(MrpnModels.Unimodal(s.Audio, s.ScoringHidden, labels.Count, s.Dropout, new RandomStream(seed))), context,
                SaveBundle<StepSequence>(s with { Kind = MrpnModelKind.Audio }, labels, $"AM ({t})", context.Provenance)));
        if (s.Kind == MrpnModelKind.Video || (s.Kind == MrpnModelKind.Fusion && s.Strategy == FusionStrategy.LateFusion && s.VisualNetwork is null))
            rows.Add(FoldRunner.Run($"VM ({t})", plan, items, new VideoClipSet(items, labels, video, s.MinSliceSeconds),
                (_, seed) => new UnimodalTask(MrpnModels.Unimodal(s.Visual, s.ScoringHidden, labels.Count, s.Dropout, new RandomStream(seed))), context,
                SaveBundle<StepSequence>(s with { Kind = MrpnModelKind.Video }, labels, $"VM ({t})", context.Provenance)));
        if (s.Kind == MrpnModelKind.Fusion)
        {
            string name = FusionRowName(s.Variant, s.Strategy);
            var set = new AudioVisualClipSet(items, labels, audio, video, s.MinSliceSeconds);
            rows.Add(FoldRunner.Run(name, plan, items, set, (fold, seed) =>
            {
                var network = s.Strategy == FusionStrategy.LateFusion
                    ? LateFusionNetwork(s, labels.Count, seed, UnimodalWeights(s.AudioNetwork, context.RunFolder, $"AM ({t})", fold.Name),
                        UnimodalWeights(s.VisualNetwork, context.RunFolder, $"VM ({t})", fold.Name))
                    : MrpnModels.Fusion(s.Visual, s.Audio, s.Variant, s.ScoringHidden, labels.Count, s.Dropout, new RandomStream(seed));
                return new MrpnTask(network);
            }, context, SaveBundle<AudioVisualBatch>(s, labels, name, context.Provenance)));
            if (s.Strategy == FusionStrategy.LateFusion)
                notes.Add($"Late fusion: per fold the AM and VM branches ({Source(s.AudioNetwork, "AM")}, {Source(s.VisualNetwork, "VM")}) are frozen and only the fusion network {s.Variant} is trained.");
        }
        notes.Add(Describe(s));
        return new ExperimentResult(rows, notes);
    }

    /// <summary>
    /// A late-fusion network: fresh fusion weights from <paramref name="seed"/>, the branches (F_m, A_m) of the
    /// trained AM and VM saved at <paramref name="audioWeights"/> and <paramref name="visualWeights"/>, frozen.
    /// </summary>
    public static MrpnNetwork LateFusionNetwork(MrpnExperimentSettings s, int classes, ulong seed, string audioWeights, string visualWeights)
    {
        var network = MrpnModels.Fusion(s.Visual, s.Audio, s.Variant, s.ScoringHidden, classes, s.Dropout, new RandomStream(seed));
        MrpnModels.LoadBranch(network.Audio, audioWeights);
        MrpnModels.LoadBranch(network.Visual, visualWeights);
        network.FreezeBranches();
        return network;
    }

    /// <summary>Writes a fold's best network as a model file (spec family "mrpn") into its folder (the fold and row go into the spec's extra).</summary>
    private static Action<string, string, ITrainingTask<TInput>> SaveBundle<TInput>(MrpnExperimentSettings settings, Aver.Data.Labels.LabelSpace labels, string row,
        Aver.Models.Spec.Provenance? provenance) =>
        (fold, folder, task) => ModelFile.Save(Path.Combine(folder, BundleFileName), task.Model,
            settings.ToSpec(labels, provenance, new Dictionary<string, string> { ["row"] = row, ["fold"] = fold }));

    /// <summary>The row name of a fusion network in the layout of MRPN Table 2.</summary>
    public static string FusionRowName(FusionVariant variant, FusionStrategy strategy) =>
        strategy == FusionStrategy.LateFusion ? $"{variant} (late fusion)" : variant == FusionVariant.N2 ? "N2 (MRPN)" : $"{variant} (end-to-end)";

    /// <summary>
    /// The trained unimodal network a late-fusion fold freezes: the one this run trained, or the given file,
    /// or the given model folder's &lt;fold&gt;/best.safetensors.
    /// </summary>
    public static string UnimodalWeights(string? given, string runFolder, string row, string fold)
    {
        string path = given is null ? FoldRunner.BestWeights(runFolder, row, fold)
            : Directory.Exists(given) ? Path.Combine(given, ReportWriter.Slug(fold), "best.safetensors") : given;
        if (!File.Exists(path)) throw new FileNotFoundException($"late fusion, fold {fold}: trained {row[..2]} network {path} does not exist", path);
        return path;
    }

    private static string Source(string? given, string row) => given is null ? $"{row} trained in this run" : $"{row} from {given}";

    /// <summary>Crops every clip's faces once, up front (loading them from the cache when present), and says how it went.</summary>
    private static string PrepareFaces(IReadOnlyList<CatalogItem> items, MrpnVideoPipeline video, TextWriter? log)
    {
        var paths = items.Select(MrpnVideoPipeline.VideoPath).Distinct(StringComparer.Ordinal).ToList();
        int frames = 0, missing = 0, noFace = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < paths.Count; i++)
        {
            var clip = video.Faces(paths[i]);
            frames += clip.Count;
            missing += clip.MissingFrames;
            if (clip.FaceFrames == 0) noFace++;
            if (log is not null && (i + 1 == paths.Count || clock.Elapsed.TotalSeconds > 10 * (i + 1) / (double)paths.Count))
                log.Write($"\rfaces: {i + 1}/{paths.Count} clips ({video.Computed} detected, {i + 1 - video.Computed} from the cache)");
        }
        log?.WriteLine();
        var o = video.Options;
        return $"Faces: {paths.Count} videos, {frames} frames at {o.Fps:0.##} fps, {o.FaceSize}x{o.FaceSize} {o.Color} crops (BlazeFace, MRPN-style box + {o.Margin:P0} margin); "
            + $"{missing} frames without a tracked face took the frame's central square{(noFace > 0 ? $"; {noFace} videos had no face at all" : "")}.";
    }

    private static string Describe(MrpnExperimentSettings s)
    {
        static string Branch(string m, BranchSettings b) =>
            $"{m}: ResNet-18 width {b.Width}, {b.Channels} channel(s), {b.Aggregator} {b.Hidden}{(b.ExtractorInit is null ? "" : $", extractor from {Path.GetFileName(b.ExtractorInit)}")}";
        var parts = new List<string>();
        if (s.Kind != MrpnModelKind.Video) parts.Add(Branch("F_a", s.Audio) + $", spectrograms pooled by {s.AudioPool}");
        if (s.Kind != MrpnModelKind.Audio)
            parts.Add(Branch("F_v", s.Visual) + $", pixels standardised by mean {s.Video.PixelMean:0.###} / std {s.Video.PixelStd:0.###}, "
                + (s.Video.Spatial is null ? "no spatial augmentation" : "spatial augmentation of training clips (MRPN §4.4 item 1)"));
        return string.Join("; ", parts) + $"; scoring {s.ScoringHidden}, dropout {s.Dropout}.";
    }
}
