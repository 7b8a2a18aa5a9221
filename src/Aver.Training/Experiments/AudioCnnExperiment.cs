using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Data.Protocols;
using Aver.Features.Augmentation;
using Aver.Features.LogMel;
using Aver.Models.AudioCnn;
using Aver.Models.Spec;
using Aver.Tensors;
using Aver.Training.Config;
using Aver.Training.Data;
using Aver.Training.Tasks;

namespace Aver.Training.Experiments;

/// <summary>
/// <c>aver evaluate CONFIG</c> for <c>model.type: audio-cnn</c>: the compact log-mel CNN of the PyTorch peer
/// (<c>../shared/peers/ravdess-audio-cnn.py</c>) on a protocol's folds. Every speech clip's log-mel image is
/// computed once; per fold the band statistics are taken over the training clips, the network (family
/// "audio-cnn") is trained on random crops through <see cref="FoldRunner"/> (checkpointed, resumable) and
/// tested on the averaged evaluation crops, and the fold's best network is written with its spec and front
/// end as <see cref="BundleFileName"/> beside best.safetensors, for <c>aver predict --model</c>.
/// </summary>
/// <param name="specAugment">Masks on standardised training crops, or null.</param>
/// <param name="mixupAlpha">mixup's α on training batches; 0 for none.</param>
/// <param name="speed">Speed perturbation of training clips, or null.</param>
/// <param name="noise">A noise floor under training clips, or null.</param>
/// <param name="codec">An mp3 round trip of training clips, or null.</param>
public sealed class AudioCnnExperiment(AudioCnnArchitecture architecture, LogMelOptions features, string name,
    SpecAugment? specAugment = null, double mixupAlpha = 0, SpeedPerturbation? speed = null, NoiseFloor? noise = null,
    CodecAugmentation? codec = null) : IExperiment
{
    /// <summary>The fold's model file in its folder (named after the family, so a fold folder resolves to it).</summary>
    public const string BundleFileName = AudioCnnArchitecture.Family + ".safetensors";

    public AudioCnnArchitecture Architecture { get; } = architecture;
    public LogMelOptions Features { get; } = features;

    /// <summary>The experiment a validated config describes.</summary>
    public static AudioCnnExperiment FromConfig(ExperimentConfig config)
    {
        var m = config.Model ?? throw new ArgumentException("model: is required");
        var cnn = m.AudioCnn ?? new AudioCnnModelConfig();
        var features = config.Features.LogMel ?? new LogMelOptions();
        bool resLstm = cnn.Pooling == "reslstm";
        var architecture = new AudioCnnArchitecture(cnn.Widths.ToArray(), (float)m.Dropout, Pooling: cnn.Pooling == "mean" ? null : cnn.Pooling,
            RecurrentHidden: resLstm ? cnn.RecurrentHidden : null, InBands: resLstm && cnn.Widths.Count == 0 ? features.Bands : null);
        return new AudioCnnExperiment(architecture, features, config.Name ?? "audio-cnn",
            cnn.SpecAugmentMasks > 0 ? new SpecAugment(cnn.SpecAugmentMasks, cnn.SpecAugmentMaxBands, cnn.SpecAugmentMaxFrames) : null, cnn.MixupAlpha,
            cnn.SpeedPerturbation.Count > 0 ? new SpeedPerturbation(cnn.SpeedPerturbation.ToArray()) : null, cnn.NoiseFloor(), cnn.Codec());
    }

    /// <summary>Audio-only speech clips.</summary>
    public Catalog Select(Catalog catalog) => catalog.Speech().Where(i => i.Modality == Modality.Audio);

    public ExperimentResult Run(SplitPlan plan, ExperimentContext context)
    {
        var items = plan.Catalog.Items;
        var labels = plan.Catalog.Labels;
        if (items.Count == 0) throw new ArgumentException($"{plan.Catalog.Root}: no audio-only speech clips for audio-cnn");
        var set = ClipSet(items, labels);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        set.Prepare((done, total) => context.Log?.WriteLine($"log-mel: {done}/{total} clips"));
        context.Log?.WriteLine($"log-mel images of {items.Count} clips in {clock.Elapsed.TotalSeconds:F0} s");

        string row = Architecture.BlockWidths.Count == 0 ? $"audio-cnn (reslstm-{Architecture.Hidden})"
            : $"audio-cnn ({string.Join("-", Architecture.BlockWidths)}{(Architecture.ResLstm ? $", reslstm-{Architecture.Hidden}" : "")})";   // file-name-safe; as earlier runs named their rows
        var outcome = FoldRunner.Run(row, plan, items, set, (fold, seed) =>
CreateTask(set, fold.Train.Indices, labels.Count, seed), context,
            (fold, folder, task) => ModelFile.Save(Path.Combine(folder, BundleFileName), task.Model,
                ToSpec(((LogMelCnnTask)task).FrontEnd, labels, new Dictionary<string, string> { ["row"] = row, ["fold"] = fold, ["experiment"] = name }, context.Provenance)));
        var o = Features;
        var notes = new List<string>
        {
            $"Compact CNN (family {AudioCnnArchitecture.Family}): {Architecture.BlockWidths.Count} blocks conv3x3-BN-ReLU-maxpool of {string.Join("-", Architecture.BlockWidths)} channels, " +
            (Architecture.ResLstm ? $"ResLSTM-SA over time frames ({(Architecture.BlockWidths.Count == 0 ? "the log-mel bands" : "frequency mean")}, residual LSTM {Architecture.FrameSize}, BN, LSTM {Architecture.Hidden}, soft attention, BN)"
            : Architecture.AttentionPooling ? "frequency mean then softmax attention over time frames" : "global average pooling") + $", dropout {Architecture.Dropout}, linear.",
            $"Log-mel: {(o.StandardizeWaveform ? "waveform standardised per clip, " : "")}centre {o.ClipSeconds} s ({o.ClipFrames} frames), n_fft {o.NFft}, window {o.WinLength}, hop {o.HopLength}, {o.Mels} mels {o.FMin}-{o.FMax} Hz, log(x + {o.LogOffset}){(o.Cepstra > 0 ? $", its first {o.Cepstra} DCT-II coefficients (MFCCs)" : "")}; {(o.UtteranceNorm ? "each band's mean over the clip subtracted; " : "")}{(o.SpeakerNorm ? "each band's mean over the speaker's clips subtracted (test speakers' own clips, unlabelled); " : "")}bands standardised with each fold's training statistics; training on random {o.CropSeconds}-s crops ({o.CropFrames} frames), evaluation averaging the logits of the crops at frames {string.Join(", ", o.EvalOffsets())}.",
        };
        if (specAugment is not null || mixupAlpha > 0 || speed is not null || noise is not null || codec is not null)
            notes.Add("Training augmentation: " + string.Join("; ", new[]
            {
                speed is null ? null : $"speed perturbation (each clip played at 1.0 or {string.Join(" or ", speed.Factors)} times its speed, equally likely)",
                noise is null ? null : $"a white noise floor {noise.MinSnrDb}-{noise.MaxSnrDb} dB under the clip's RMS on {noise.Probability:P0} of training draws",
                codec is null ? null : $"an mp3 round trip at {string.Join(" or ", codec.Kbps)} kbit/s on {codec.Probability:P0} of training draws",
                specAugment is null ? null : $"SpecAugment {specAugment.Masks} x (frequency mask <= {specAugment.MaxBands} bands, time mask <= {specAugment.MaxFrames} frames)",
                mixupAlpha > 0 ? $"mixup alpha {mixupAlpha}" : null,
            }.OfType<string>()) + ".");
        return new ExperimentResult([outcome], notes);
    }

    /// <summary>
    /// A fresh network for training on clips <paramref name="train"/> of <paramref name="set"/>: its front end takes the
    /// band statistics of those clips only (the peer's tr_x.mean/std), its weights come from <paramref name="seed"/>.
    /// </summary>
    public LogMelCnnTask CreateTask(LogMelClipSet set, IReadOnlyList<int> train, int classes, ulong seed)
    {
        var frontEnd = LogMelFrontEnd.Fit(Features, train.Select(set.Image));
        return new LogMelCnnTask(Architecture.Build(classes, new RandomStream(seed)), frontEnd, specAugment, mixupAlpha);
    }

    /// <summary>
    /// The set of <paramref name="items"/> this recipe trains on (speed-perturbed images when it asks for them), each
    /// clip's images computed once.
    /// </summary>
    public LogMelClipSet ClipSet(IReadOnlyList<CatalogItem> items, LabelSpace labels) => new(items, labels, new LogMelPipeline(Features), speed, noise, codec);

    /// <summary>The model spec of a trained network with its fold's front end.</summary>
    public ModelSpec ToSpec(LogMelFrontEnd frontEnd, LabelSpace labels, IReadOnlyDictionary<string, string>? extra = null, Provenance? provenance = null) =>
        new(AudioCnnArchitecture.Family, ModelSpec.ToJson(Architecture), new LabelSpec(labels.Name, labels.Names.ToArray()),
            new Dictionary<string, System.Text.Json.Nodes.JsonObject> { [LogMelFrontEnd.Name] = frontEnd.ToSpec() }, Provenance: provenance, Extra: extra);
}
