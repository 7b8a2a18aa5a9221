using Aver.Models.AudioCnn;
using Aver.Models.Mrpn;
using Aver.Models.ResNet;
using Aver.Models.Spec;
using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Fusion;

/// <summary>
/// The audio branch of a decision-fusion model over its own label space: MRPN's AM on spectrogram segments
/// (<paramref name="Network"/>, with the spec's MRPN audio front end), a log-mel network (<paramref name="Cnn"/>, with
/// the spec's log-mel front end "audio"), or several log-mel networks trained apart whose answer is their mean
/// probability (<paramref name="Cnns"/>, an <see cref="Ensemble"/>; member i reads its own front end "audio.i", so a CNN
/// on 10-ms frames and ResLSTM-SA on 43-ms frames can answer together); exactly one is given.
/// </summary>
public sealed record AudioBranchArchitecture(MrpnArchitecture? Network, LabelSpec Labels, AudioCnnArchitecture? Cnn = null,
    IReadOnlyList<AudioCnnArchitecture>? Cnns = null)
{
    /// <summary>The front end name of member <paramref name="i"/> of an ensemble (<see cref="Cnns"/>).</summary>
    public static string MemberFrontEnd(int i) => $"audio.{i}";

    /// <summary>The branch's network, freshly initialised; a branch with more or fewer than one kind of network is refused naming <paramref name="source"/>.</summary>
    public Module Build(RandomStream rng, string source)
    {
        Labels.Validate(source);
        if ((Network is null ? 0 : 1) + (Cnn is null ? 0 : 1) + (Cnns is null ? 0 : 1) != 1)
            throw new InvalidDataException($"{source}: the audio branch of a decision-fusion model needs exactly one of an MRPN AM (network), an audio network (cnn) and an ensemble of them (cnns)");
        if (Cnns is not null)
        {
            if (Cnns.Count < 2) throw new InvalidDataException($"{source}: the audio branch's cnns are an ensemble, which needs at least two");
            return new Ensemble(Cnns.Select((a, i) => (Module)a.Build(Labels.Names.Count, rng.Fork($"member{i}"), source)));
        }
        if (Cnn is not null) return Cnn.Build(Labels.Names.Count, rng, source);
        if (Network!.Network != "AM") throw new InvalidDataException($"{source}: the audio branch of a decision-fusion model is an MRPN AM, not {Network.Network}");
        return Network.Build(Labels.Names.Count, rng, source);
    }
}

/// <summary>
/// The visual branch of a decision-fusion model: a ResNet-18 face classifier over its own label space
/// (<paramref name="Network"/>), or an ensemble of several trained apart (<paramref name="Networks"/>, an
/// <see cref="Ensemble"/> whose answer is their mean probability); exactly one is given.
/// </summary>
public sealed record VisualBranchArchitecture(ResNetArchitecture? Network, LabelSpec Labels, IReadOnlyList<ResNetArchitecture>? Networks = null)
{
    /// <summary>The architecture of every network of the branch: one, or the ensemble's members in order.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<ResNetArchitecture> All => Networks ?? (Network is null ? [] : [Network]);

    /// <summary>The architecture of a trained visual network: a <see cref="ResNet18"/> or an <see cref="Ensemble"/> of them.</summary>
    public static VisualBranchArchitecture Of(Module network, LabelSpec labels)
    {
        var networks = NetworksOf(network);
        return network is Ensemble ? new(null, labels, networks) : new(networks[0], labels);
    }

    /// <summary>
    /// The architecture of each network of a visual branch's module (one, or an ensemble's members); anything but a
    /// <see cref="ResNet18"/> or an <see cref="Ensemble"/> of them is an <see cref="ArgumentException"/>.
    /// </summary>
    public static IReadOnlyList<ResNetArchitecture> NetworksOf(Module network) => network switch
    {
        ResNet18 r => [ResNetArchitecture.Of(r.Config)],
        Ensemble e when e.Members.All(m => m is ResNet18) => e.Members.Select(m => ResNetArchitecture.Of(((ResNet18)m).Config)).ToList(),
        _ => throw new ArgumentException($"the visual branch of a decision-fusion model is a ResNet-18 or an ensemble of them, not a {network.GetType().Name}", nameof(network)),
    };

    /// <summary>The branch's network, freshly initialised: a ResNet-18, or an ensemble when several are given.</summary>
    public Module Build(RandomStream rng, string source)
    {
        Labels.Validate(source);
        if ((Network is null) == (Networks is null)) throw new InvalidDataException($"{source}: the visual branch of a decision-fusion model needs exactly one of network and networks");
        if (Networks is { Count: < 2 }) throw new InvalidDataException($"{source}: the visual branch's networks are an ensemble, which needs at least two");
        if (Network is not null) return Network.Build(Labels.Names.Count, rng);
        return new Ensemble(Networks!.Select((a, i) => (Module)a.Build(Labels.Names.Count, rng.Fork($"member{i}"))));
    }
}

/// <summary>
/// Branches trained apart and fused at the decision level (the shipped default model: no paired
/// audio-video corpus is at hand): an audio network (MRPN's AM or a log-mel CNN) and a visual ResNet-18, each with its
/// own label space.
/// The family "decision-fusion" of <see cref="ModelRegistry"/>; the network is <see cref="DecisionFusionNetworks"/>.
/// </summary>
public sealed record DecisionFusionArchitecture(AudioBranchArchitecture? Audio, VisualBranchArchitecture? Visual)
{
    public const string Family = "decision-fusion";

    /// <summary>Both branches, freshly initialised; <paramref name="source"/> names the file in errors.</summary>
    public DecisionFusionNetworks Build(RandomStream rng, string source = "decision-fusion architecture")
    {
        if (Audio is null && Visual is null) throw new InvalidDataException($"{source}: a decision-fusion model needs at least one branch");
        return new DecisionFusionNetworks(Audio?.Build(rng.Fork("audio"), source), Visual?.Build(rng.Fork("visual"), source));
    }
}

/// <summary>The branches' networks as one module: children "audio" and "visual" (the tensor names of the model file).</summary>
public sealed class DecisionFusionNetworks : Module
{
    /// <summary>The audio branch's network: a <see cref="UnimodalNetwork"/> (MRPN AM), an <see cref="AudioCnnNetwork"/> or an <see cref="Ensemble"/> of them.</summary>
    public Module? Audio { get; }
    /// <summary>The visual branch's network: a <see cref="ResNet18"/>, or an <see cref="Ensemble"/> of them.</summary>
    public Module? Visual { get; }

    public DecisionFusionNetworks(Module? audio, Module? visual)
    {
        if (audio is not null and not (UnimodalNetwork or AudioCnnNetwork) && !(audio is Ensemble e && e.Members.All(m => m is AudioCnnNetwork)))
            throw new ArgumentException($"the audio branch of a decision-fusion model is an MRPN AM, an audio CNN or an ensemble of audio CNNs, not a {audio.GetType().Name}", nameof(audio));
        if (visual is not null) VisualBranchArchitecture.NetworksOf(visual);   // refuses anything else
        if (audio is not null) Audio = RegisterModule("audio", audio);
        if (visual is not null) Visual = RegisterModule("visual", visual);
    }

    /// <summary>Branches are run one by one by the decision-fusion model; the module itself has no forward pass.</summary>
    public override Tensor Forward(Tensor input) => throw new NotSupportedException("run the audio and visual branches of a decision-fusion model separately");
}
