using System.Text.Json.Serialization;
using Aver.Models.ResNet;
using Aver.Tensors;

namespace Aver.Models.Mrpn;

/// <summary>One modality's branch (MRPN eq. 1): F_m, a ResNet-18 of this width over steps of these channels, then A_m.</summary>
/// <param name="Width">ResNet-18 width of F_m (64 in the paper).</param>
/// <param name="Channels">Input channels of a step: 1 for spectrograms and grey faces, 3 for RGB faces.</param>
/// <param name="Aggregator">A_m: LSTM, BiLSTM or Transformer (§4.2).</param>
/// <param name="Hidden">Aggregator size (LSTM hidden units or Transformer d_model).</param>
/// <param name="Stem">F_m's stem: ImageNet's (the paper's), or the small-image stem of a FER2013 extractor trained with it
/// (left out of the spec when ImageNet's, so files written before it existed keep their bytes).</param>
public sealed record BranchArchitecture(int Width = 16, int Channels = 1, AggregatorKind Aggregator = AggregatorKind.Lstm, int Hidden = 128,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] ResNetStem Stem = ResNetStem.ImageNet)
{
    /// <summary>F_m and A_m, freshly initialised.</summary>
    public ModalityBranch Build(RandomStream rng) =>
        new(new ResNetConfig(InChannels: Channels, Width: Width, Stem: Stem), Aggregator, Hidden, rng.Fork("branch"));
}

/// <summary>
/// An MRPN network as data: AM or VM (Table 1; only <see cref="Audio"/> or <see cref="Visual"/>) or
/// N0/N1/N2 (eqs. 7-9; both), with the Scoring size and dropout. The family "mrpn" of
/// <see cref="Spec.ModelRegistry"/>: every MRPN network, in training and prediction, is built by <see cref="Build"/>.
/// </summary>
/// <param name="Network">AM, VM, N0, N1 or N2.</param>
public sealed record MrpnArchitecture(string Network, BranchArchitecture? Audio, BranchArchitecture? Visual, int ScoringHidden = 64, float Dropout = 0.3f)
{
    public const string Family = "mrpn";

    [JsonIgnore] public bool HasAudio => Audio is not null;
    [JsonIgnore] public bool HasVisual => Visual is not null;

    /// <summary>AM over <paramref name="audio"/>.</summary>
    public static MrpnArchitecture AudioOnly(BranchArchitecture audio, int scoringHidden, float dropout) => new("AM", audio, null, scoringHidden, dropout);

    /// <summary>VM over <paramref name="visual"/>.</summary>
    public static MrpnArchitecture VisualOnly(BranchArchitecture visual, int scoringHidden, float dropout) => new("VM", null, visual, scoringHidden, dropout);

    /// <summary>N0, N1 or N2 over both branches.</summary>
    public static MrpnArchitecture Fusion(FusionVariant variant, BranchArchitecture visual, BranchArchitecture audio, int scoringHidden, float dropout) =>
        new(variant.ToString(), audio, visual, scoringHidden, dropout);

    /// <summary>Throws naming <paramref name="source"/> unless the network name and the branches agree.</summary>
    public void Validate(string source)
    {
        bool fits = Network switch
        {
            "AM" => HasAudio && !HasVisual,
            "VM" => HasVisual && !HasAudio,
            "N0" or "N1" or "N2" => HasAudio && HasVisual,
            _ => throw new InvalidDataException($"{source}: MRPN network '{Network}' is not one of AM, VM, N0, N1, N2"),
        };
        if (!fits) throw new InvalidDataException($"{source}: MRPN {Network} needs {(Network == "AM" ? "an audio branch only" : Network == "VM" ? "a visual branch only" : "both branches")}");
        if (ScoringHidden < 1 || !(Dropout >= 0 && Dropout < 1)) throw new InvalidDataException($"{source}: MRPN scoring_hidden must be positive and dropout in [0, 1)");
        foreach (var b in new[] { Audio, Visual })
            if (b is not null && (b.Width < 1 || b.Channels < 1 || b.Hidden < 1))
                throw new InvalidDataException($"{source}: MRPN branch width, channels and hidden must be positive");
    }

    /// <summary>The network over <paramref name="classes"/> classes, freshly initialised from <paramref name="rng"/>.</summary>
    public Tensors.Nn.Module Build(int classes, RandomStream rng, string source = "MRPN architecture")
    {
        Validate(source);
        return Network switch
        {
            "AM" => new UnimodalNetwork(Audio!.Build(rng), ScoringHidden, classes, Dropout, rng.Fork("head")),
            "VM" => new UnimodalNetwork(Visual!.Build(rng), ScoringHidden, classes, Dropout, rng.Fork("head")),
            _ => new MrpnNetwork(Visual!.Build(rng.Fork("visual")), Audio!.Build(rng.Fork("audio")), Enum.Parse<FusionVariant>(Network),
                ScoringHidden, classes, Dropout, rng.Fork("fusion")),
        };
    }
}
