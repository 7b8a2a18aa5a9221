using Aver.Models.Mrpn;
using Aver.Models.ResNet;
using Aver.Models.Spec;
using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Fusion;

/// <summary>The audio branch of a decision-fusion model: MRPN's AM over its own label space.</summary>
public sealed record AudioBranchArchitecture(MrpnArchitecture Network, LabelSpec Labels);

/// <summary>The visual branch of a decision-fusion model: a ResNet-18 face classifier over its own label space.</summary>
public sealed record VisualBranchArchitecture(ResNetArchitecture Network, LabelSpec Labels);

/// <summary>
/// Branches trained apart and fused at the decision level (the shipped default model: no paired
/// audio-video corpus is at hand): an audio AM and a visual ResNet-18, each with its own label space.
/// The family "decision-fusion" of <see cref="ModelRegistry"/>; the network is <see cref="DecisionFusionNetworks"/>.
/// </summary>
public sealed record DecisionFusionArchitecture(AudioBranchArchitecture? Audio, VisualBranchArchitecture? Visual)
{
    public const string Family = "decision-fusion";

    /// <summary>Both branches, freshly initialised; <paramref name="source"/> names the file in errors.</summary>
    public DecisionFusionNetworks Build(RandomStream rng, string source = "decision-fusion architecture")
    {
        if (Audio is null && Visual is null) throw new InvalidDataException($"{source}: a decision-fusion model needs at least one branch");
        Audio?.Labels.Validate(source);
        Visual?.Labels.Validate(source);
        if (Audio is { Network.Network: not "AM" }) throw new InvalidDataException($"{source}: the audio branch of a decision-fusion model is an MRPN AM, not {Audio.Network.Network}");
        return new DecisionFusionNetworks(
            Audio is null ? null : (UnimodalNetwork)Audio.Network.Build(Audio.Labels.Names.Count, rng.Fork("audio"), source),
            Visual?.Network.Build(Visual.Labels.Names.Count, rng.Fork("visual")));
    }
}

/// <summary>The branches' networks as one module: children "audio" and "visual" (the tensor names of the model file).</summary>
public sealed class DecisionFusionNetworks : Module
{
    public UnimodalNetwork? Audio { get; }
    public ResNet18? Visual { get; }

    public DecisionFusionNetworks(UnimodalNetwork? audio, ResNet18? visual)
    {
        if (audio is not null) Audio = RegisterModule("audio", audio);
        if (visual is not null) Visual = RegisterModule("visual", visual);
    }

    /// <summary>Branches are run one by one by the decision-fusion model; the module itself has no forward pass.</summary>
    public override Tensor Forward(Tensor input) => throw new NotSupportedException("run the audio and visual branches of a decision-fusion model separately");
}
