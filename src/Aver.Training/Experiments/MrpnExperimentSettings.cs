using Aver.Models.ResNet;
using System.Globalization;
using Aver.Data.Pipelines;
using Aver.Features.Augmentation;
using Aver.Features.Mrpn;
using Aver.Media;
using Aver.Data.Labels;
using Aver.Models.Mrpn;
using Aver.Models.Spec;
using Aver.Tensors.IO;
using Aver.Training.Config;

namespace Aver.Training.Experiments;

/// <summary>Which MRPN network an experiment trains: AM or VM of Table 1, or an audio-visual N0/N1/N2 (Tables 1-3).</summary>
public enum MrpnModelKind { Audio, Video, Fusion }

/// <summary>MRPN's two ways of training a fusion network (§3.3, §5.5).</summary>
public enum FusionStrategy
{
    /// <summary>Branches and fusion trained together from the start.</summary>
    EndToEnd,
    /// <summary>AM and VM trained first, their extractors and aggregators frozen, then the fusion trained.</summary>
    LateFusion,
}

/// <summary>
/// Everything an <see cref="MrpnExperiment"/> needs to build and feed its networks. Defaults follow
/// MRPN §4-5 scaled for a CPU; <see cref="FromConfig"/> reads them from an experiment config.
/// </summary>
public sealed record MrpnExperimentSettings
{
    public MrpnModelKind Kind { get; init; } = MrpnModelKind.Fusion;
    public FusionVariant Variant { get; init; } = FusionVariant.N2;
    public FusionStrategy Strategy { get; init; } = FusionStrategy.EndToEnd;
    /// <summary>F_a and A_a: spectrogram segments have one channel.</summary>
    public BranchSettings Audio { get; init; } = new(Channels: 1);
    /// <summary>F_v and A_v: channels must match <see cref="Video"/>'s colour.</summary>
    public BranchSettings Visual { get; init; } = new(Channels: 3);
    /// <summary>The audio front end (MRPN §4.4 items 3-4; the paper's values by default).</summary>
    public MrpnAudioOptions AudioFeatures { get; init; } = new();
    /// <summary>Average-pooling factor of the 256 x 250 spectrograms (1 = the paper's size).</summary>
    public int AudioPool { get; init; } = 1;
    public MrpnVideoOptions Video { get; init; } = new();
    /// <summary>Hidden units of Scoring (eq. 2) in AM/VM and of the fusion component.</summary>
    public int ScoringHidden { get; init; } = 64;
    public float Dropout { get; init; } = 0.3f;
    /// <summary>Shortest time-augmentation slice of a clip with video (MRPN §4.4 item 2: one second).</summary>
    public double MinSliceSeconds { get; init; } = 1.0;
    /// <summary>Late fusion: a trained AM to freeze (file, or a model folder with &lt;fold&gt;/best.safetensors) instead of training one.</summary>
    public string? AudioNetwork { get; init; }
    /// <summary>Late fusion: a trained VM to freeze, as <see cref="AudioNetwork"/>.</summary>
    public string? VisualNetwork { get; init; }

    /// <summary>The network these settings describe, as data (the registry's "mrpn" family).</summary>
    public MrpnArchitecture Architecture => Kind switch
    {
        MrpnModelKind.Audio => MrpnArchitecture.AudioOnly(Audio.Architecture, ScoringHidden, Dropout),
        MrpnModelKind.Video => MrpnArchitecture.VisualOnly(Visual.Architecture, ScoringHidden, Dropout),
        _ => MrpnArchitecture.Fusion(Variant, Visual.Architecture, Audio.Architecture, ScoringHidden, Dropout),
    };

    /// <summary>The front ends of the modalities the network has.</summary>
    public MrpnFrontEnds FrontEnds => new(Kind == MrpnModelKind.Video ? null : AudioFeatures, AudioPool, Kind == MrpnModelKind.Audio ? null : Video);

    /// <summary>The model spec of a network trained with these settings over <paramref name="labels"/>.</summary>
    public ModelSpec ToSpec(LabelSpace labels, Provenance? provenance = null, IReadOnlyDictionary<string, string>? extra = null) =>
        new(MrpnArchitecture.Family, ModelSpec.ToJson(Architecture), new LabelSpec(labels.Name, labels.Names.ToArray()), FrontEnds.ToSpec(),
            Provenance: provenance, Extra: extra);

    /// <summary>
    /// The settings a validated config describes. With model.visual_init, the face pixels are standardised
    /// by the mean and deviation stored in that file (<c>aver pretrain</c> writes them), as the extractor saw in pre-training.
    /// </summary>
    /// <exception cref="ArgumentException">The model type is not an MRPN network (names the key).</exception>
    public static MrpnExperimentSettings FromConfig(ExperimentConfig config)
    {
        var m = config.Model ?? throw new ArgumentException("model: is required");
        string type = m.Type?.ToLowerInvariant() ?? "";
        var kind = type switch
        {
            "mrpn" => MrpnModelKind.Fusion,
            "unimodal" when string.Equals(m.Modality, "audio", StringComparison.OrdinalIgnoreCase) => MrpnModelKind.Audio,
            "unimodal" when string.Equals(m.Modality, "video", StringComparison.OrdinalIgnoreCase) => MrpnModelKind.Video,
            _ => throw new ArgumentException($"model.type: '{m.Type}' (modality '{m.Modality}') is not an MRPN network (mrpn, or unimodal audio|video)"),
        };
        var aggregator = Enum.Parse<AggregatorKind>(m.Aggregator.Replace("-", ""), ignoreCase: true);
        var v = config.Features.Video;
        var color = v.Color.Equals("gray", StringComparison.OrdinalIgnoreCase) ? ImageColor.Gray : ImageColor.Rgb;
        var video = new MrpnVideoOptions { FaceSize = v.FaceSize, Color = color, Fps = v.Fps };
        // The visual init file is read once: its pixel statistics and its stem both shape the branch.
        var visualInit = kind != MrpnModelKind.Audio && m.VisualInit is string init ? SafeTensors.Load(init).Metadata : null;
        if (visualInit is not null) video = WithPixelStatistics(video, visualInit);
        // The brightness range is in pixel units (0.1 = a tenth of black-to-white); frames are augmented after standardisation.
        if (v.SpatialAugmentation) video = video with { Spatial = new SpatialAugmentationOptions { MaxBrightness = 0.1 / video.PixelStd } };
        return new MrpnExperimentSettings
        {
            Kind = kind,
            Variant = m.Variant is null ? FusionVariant.N2 : Enum.Parse<FusionVariant>(m.Variant, ignoreCase: true),
            Strategy = config.Strategy.Equals("late-fusion", StringComparison.OrdinalIgnoreCase) ? FusionStrategy.LateFusion : FusionStrategy.EndToEnd,
            // An extractor started from a saved ResNet-18 takes that network's stem (a FER2013 file may use the small one).
            Audio = new BranchSettings(m.ExtractorWidth, 1, aggregator, m.AggregatorHidden, m.AudioInit,
                m.AudioInit is string ai ? BranchSettings.StemOf(SafeTensors.Load(ai).Metadata, ai) : ResNetStem.ImageNet),
            Visual = new BranchSettings(m.VisualWidth ?? m.ExtractorWidth, video.Channels, aggregator, m.AggregatorHidden, m.VisualInit,
                visualInit is not null ? BranchSettings.StemOf(visualInit, m.VisualInit!) : ResNetStem.ImageNet),
            AudioFeatures = config.Features.Audio,
            AudioPool = ExperimentConfigValidator.AudioPool(m.AudioInput, config.Features.Audio) ?? throw new ArgumentException($"model.audio_input: [{string.Join(", ", m.AudioInput)}] is not a pooled [1, 256, 250]"),
            Video = video,
            ScoringHidden = m.ScoringHidden,
            Dropout = (float)m.Dropout,
            MinSliceSeconds = v.MinSliceSeconds,
            AudioNetwork = m.AudioNetwork,
            VisualNetwork = m.VisualNetwork,
        };
    }

    private static MrpnVideoOptions WithPixelStatistics(MrpnVideoOptions video, IReadOnlyDictionary<string, string> meta)
    {
        if (meta.TryGetValue("pixel_mean", out var mean) && meta.TryGetValue("pixel_std", out var std)
            && float.TryParse(mean, NumberStyles.Float, CultureInfo.InvariantCulture, out float mu)
            && float.TryParse(std, NumberStyles.Float, CultureInfo.InvariantCulture, out float sigma) && sigma > 0)
            return video with { PixelMean = mu, PixelStd = sigma };
        return video;
    }
}
