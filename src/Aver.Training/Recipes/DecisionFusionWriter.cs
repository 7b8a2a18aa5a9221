using System.Text.Json;
using System.Text.Json.Nodes;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features.Mrpn;
using Aver.Models.AudioCnn;
using Aver.Models.Calibration;
using Aver.Models.Fusion;
using Aver.Models.Mrpn;
using Aver.Models.ResNet;
using Aver.Models.Spec;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;

namespace Aver.Training.Recipes;

/// <summary>A trained audio branch for a decision-fusion model: its network, architecture, front end and calibration.</summary>
public interface IAudioBranchParts
{
    Module Network { get; }
    BranchCalibration Calibration { get; }

    /// <summary>The branch's architecture and label space, as the spec keeps them.</summary>
    AudioBranchArchitecture Architecture { get; }

    /// <summary>The front ends the network reads its audio through, by their names in the spec ("audio", or "audio.i" for member i of an ensemble).</summary>
    IReadOnlyDictionary<string, JsonObject> FrontEnds { get; }
}

/// <summary>MRPN's AM as an audio branch: the network, its settings, label space, spectrogram options and calibration.</summary>
public sealed record AudioBranchParts(UnimodalNetwork Network, AudioNetworkSettings Settings, LabelSpace Labels, BranchCalibration Calibration,
    MrpnAudioOptions? Features = null) : IAudioBranchParts
{
    Module IAudioBranchParts.Network => Network;
    public AudioBranchArchitecture Architecture => new(Settings.Architecture, DecisionFusionWriter.Spec(Labels));
    public IReadOnlyDictionary<string, JsonObject> FrontEnds => new Dictionary<string, JsonObject>
    {
        ["audio"] = new MrpnFrontEnds(Features ?? new MrpnAudioOptions(), Settings.Pool, null).ToSpec()[MrpnFrontEnds.AudioName],
    };
}

/// <summary>A log-mel CNN as an audio branch: the network, its label space, its front end (band statistics included) and calibration.</summary>
public sealed record LogMelBranchParts(AudioCnnNetwork Network, LabelSpace Labels, LogMelFrontEnd Features, BranchCalibration Calibration) : IAudioBranchParts
{
    Module IAudioBranchParts.Network => Network;
    public AudioBranchArchitecture Architecture => new(null, DecisionFusionWriter.Spec(Labels), Network.Architecture);
    public IReadOnlyDictionary<string, JsonObject> FrontEnds => new Dictionary<string, JsonObject> { ["audio"] = Features.ToSpec() };
}

/// <summary>
/// Several log-mel networks trained apart as one audio branch (their mean probability): each with its own front end,
/// written as "audio.i"; the calibration is the average's.
/// </summary>
public sealed record LogMelEnsembleParts(IReadOnlyList<(AudioCnnNetwork Network, LogMelFrontEnd Features)> Members, LabelSpace Labels,
    BranchCalibration Calibration) : IAudioBranchParts
{
    public Module Network { get; } = new Ensemble(Members.Select(m => (Module)m.Network));
    public AudioBranchArchitecture Architecture => new(null, DecisionFusionWriter.Spec(Labels), Cnns: Members.Select(m => m.Network.Architecture).ToList());
    public IReadOnlyDictionary<string, JsonObject> FrontEnds =>
        Members.Select((m, i) => (AudioBranchArchitecture.MemberFrontEnd(i), m.Features.ToSpec())).ToDictionary(x => x.Item1, x => x.Item2);
}

/// <summary>
/// A trained visual branch for a decision-fusion model: the ResNet-18 (or an <see cref="Ensemble"/> of them), its label
/// space, its face input, and its calibration.
/// </summary>
public sealed record VisualBranchParts(Module Network, LabelSpace Labels, FaceInput Face, BranchCalibration Calibration);

/// <summary>
/// Writes a decision-fusion model file (spec family "decision-fusion", read back by Aver.Inference's
/// DecisionFusionBundle): the branches' networks under "audio." and "visual." (the audio one MRPN's AM or a log-mel
/// CNN), their architectures and label
/// spaces, front ends "audio" and "face", calibration "audio" and "visual".
/// </summary>
public static class DecisionFusionWriter
{
    /// <summary>
    /// Writes the file atomically; weights as float16 unless <paramref name="dtype"/> says otherwise (a width-16 ResNet-18
    /// is 1.4 MB then). <paramref name="extra"/> keeps informative values (training data, accuracies, licence).
    /// </summary>
    public static void Save(string path, LabelSpace labels, IAudioBranchParts? audio, VisualBranchParts? visual,
        Provenance? provenance = null, IReadOnlyDictionary<string, string>? extra = null, SafeTensorsDType dtype = SafeTensorsDType.F16)
    {
        if (audio is null && visual is null) throw new ArgumentException("a decision-fusion model needs at least one branch");
        var frontEnds = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var calibration = new JsonObject();
        AudioBranchArchitecture? audioArchitecture = null;
        VisualBranchArchitecture? visualArchitecture = null;
        if (audio is not null)
        {
            audioArchitecture = audio.Architecture;
            foreach (var (name, end) in audio.FrontEnds) frontEnds[name] = end;
            calibration["audio"] = JsonSerializer.SerializeToNode(audio.Calibration, MetadataJson.Options);
        }
        if (visual is not null)
        {
            visualArchitecture = VisualBranchArchitecture.Of(visual.Network, Spec(visual.Labels));
            frontEnds["face"] = JsonSerializer.SerializeToNode(visual.Face, MetadataJson.Options)!.AsObject();
            calibration["visual"] = JsonSerializer.SerializeToNode(visual.Calibration, MetadataJson.Options);
        }
        var spec = new ModelSpec(DecisionFusionArchitecture.Family, ModelSpec.ToJson(new DecisionFusionArchitecture(audioArchitecture, visualArchitecture)),
            Spec(labels), frontEnds, calibration, provenance, extra);
        ModelFile.Save(path, new DecisionFusionNetworks(audio?.Network, visual?.Network), spec, dtype);
    }

    internal static LabelSpec Spec(LabelSpace space) => new(space.Name, space.Names.ToArray());
}
