using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features.Mrpn;
using Aver.Inference.Branches;
using Aver.Media;
using Aver.Models.AudioCnn;
using Aver.Models.Calibration;
using Aver.Models.Fusion;
using Aver.Models.Mrpn;
using Aver.Models.ResNet;
using Aver.Models.Spec;
using Aver.Tensors.IO;

namespace Aver.Inference.Fusion;

/// <summary>
/// Reads a <see cref="DecisionFusionModel"/> from its model file: spec family "decision-fusion", whose architecture
/// holds each branch's network and label space (<see cref="DecisionFusionArchitecture"/>), front ends "audio"
/// (<see cref="MrpnFrontEnds"/> for an MRPN AM, <see cref="LogMelFrontEnd"/> for an audio CNN) and "face" (<see cref="FaceInput"/>), and calibration "audio"/"visual"
/// (<see cref="BranchCalibration"/>: temperature and fusion weight). Files of the earlier flat-key layout
/// (<c>format</c> = aver-decision-fusion, the default model before the spec) are read through <see cref="ToSpecFromV1"/>.
/// </summary>
public static class DecisionFusionBundle
{
    public const string Format = DecisionFusionArchitecture.Family;

    /// <summary>The <c>format</c> of files written before the model spec.</summary>
    public const string V1Format = "aver-decision-fusion";

    public const string AudioName = "audio", VisualName = "visual", FaceName = "face";

    /// <summary>
    /// Rebuilds the model from <paramref name="file"/> (read from <paramref name="source"/>). A missing part, unknown
    /// architecture, label list that disagrees with the weights' shapes, or tensor of the wrong shape is an
    /// <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    public static DecisionFusionModel Load(SafeTensorsFile file, string source, Func<FaceTracker> tracker)
    {
        var spec = ModelSpec.IsIn(file.Metadata) ? ModelSpec.FromMetadata(file.Metadata, source) : ToSpecFromV1(file.Metadata, source);
        if (spec.Family != Format) throw new InvalidDataException($"{source}: a '{spec.Family}' model, not a decision-fusion one");
        var architecture = spec.ArchitectureAs<DecisionFusionArchitecture>(source);
        var networks = (DecisionFusionNetworks)ModelRegistry.Load(spec, file.Tensors, source);
        var labels = Space(spec.Labels, source);

        IAudioBranch? audio = null;
        BranchCalibration? audioCalibration = null;
        if (architecture.Audio is { } a)
        {
            audioCalibration = Calibration(spec, AudioName, source);
            if (networks.Audio is Aver.Tensors.Nn.Ensemble ensemble)
            {
                // Several log-mel networks, member i reading front end "audio.i": one branch answering with their mean probability.
                var members = ensemble.Members.Select((m, i) =>
                    ((AudioCnnNetwork)m, LogMelFrontEnd.FromSpec(spec.FrontEnds, source, AudioBranchArchitecture.MemberFrontEnd(i)))).ToList();
                try { audio = new LogMelAudioBranch(members, Space(a.Labels, source), (float)audioCalibration.Temperature); }
                catch (InvalidDataException e) { throw new InvalidDataException($"{source}: {e.Message}", e); }
            }
            else
            {
                if (!spec.FrontEnds.TryGetValue(AudioName, out var audioJson)) throw new InvalidDataException($"{source}: its audio branch has no audio front end");
                var one = new Dictionary<string, JsonObject> { [AudioName] = audioJson };
                // The audio front end is the branch network's own: log-mel for an audio CNN, MRPN's spectrogram for an AM.
                // ("face" here is the FER-style face input, not MRPN's face front end.)
                if (networks.Audio is AudioCnnNetwork cnn)
                    audio = new LogMelAudioBranch(cnn, LogMelFrontEnd.FromSpec(one, source), Space(a.Labels, source), (float)audioCalibration.Temperature);
                else
                {
                    var frontEnd = MrpnFrontEnds.FromSpec(one, source);
                    audio = new AudioBranch((UnimodalNetwork)networks.Audio!, Space(a.Labels, source), frontEnd.AudioPool, (float)audioCalibration.Temperature, frontEnd.Audio);
                }
            }
        }
        FaceBranch? visual = null;
        BranchCalibration? visualCalibration = null;
        if (architecture.Visual is { } v)
        {
            if (v.All.FirstOrDefault(n => n.InChannels != 1) is { } colour)
                throw new InvalidDataException($"{source}: the visual branch takes {colour.InChannels} channels; this version's takes grey faces (1)");
            if (!spec.FrontEnds.TryGetValue(FaceName, out var faceJson)) throw new InvalidDataException($"{source}: its visual branch has no face front end");
            var face = Read<FaceInput>(faceJson, source, $"front_ends.{FaceName}");
            if (face.Size < 8 || !(face.PixelStd > 0) || !float.IsFinite(face.PixelMean) || !(face.Margin >= 0) || !(Math.Abs(face.VerticalShift) <= 0.5f))
                throw new InvalidDataException($"{source}: front_ends.face needs a size of at least 8, a positive pixel_std, a non-negative margin and a vertical_shift within ±0.5");
            visualCalibration = Calibration(spec, VisualName, source);
            visual = new FaceBranch(networks.Visual!, Space(v.Labels, source), face, (float)visualCalibration.Temperature, tracker);
        }
        return new DecisionFusionModel(labels, audio, audioCalibration, visual, visualCalibration, source);
    }

    private static BranchCalibration Calibration(ModelSpec spec, string branch, string source)
    {
        var node = spec.Calibration?[branch] as JsonObject ?? throw new InvalidDataException($"{source}: its model spec has no calibration for the {branch} branch");
        var calibration = Read<BranchCalibration>(node, source, $"calibration.{branch}");
        try { calibration.Validate(branch); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{source}: {e.Message}"); }
        return calibration;
    }

    private static T Read<T>(JsonObject node, string source, string what)
    {
        try { return node.Deserialize<T>(MetadataJson.Options) ?? throw new JsonException("null"); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: model spec {what} is unreadable ({e.Message.Split(" Path:")[0]})", e); }
    }

    /// <summary>A known space's name must mean its classes, in its order: label maps are looked up by name.</summary>
    private static LabelSpace Space(LabelSpec spec, string source)
    {
        LabelSpace space;
        try { space = new LabelSpace(spec.Space, spec.Names.ToArray()); }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: labels: {e.Message}"); }
        if (LabelSpaces.Find(spec.Space) is { } known && !known.Equals(space))
            throw new InvalidDataException($"{source}: label space says {spec.Space} but lists [{string.Join(", ", spec.Names)}], not {known}");
        return LabelSpaces.Find(spec.Space) ?? space;
    }

    /// <summary>
    /// The spec of a file written before the model spec (flat keys "audio.width", "visual.pixel_mean", ...). Those
    /// files kept no audio front-end parameters: their AM was trained on the default MRPN spectrogram, as read here.
    /// </summary>
    public static ModelSpec ToSpecFromV1(IReadOnlyDictionary<string, string> meta, string source)
    {
        if (!meta.ContainsKey("format")) throw new InvalidDataException($"{source}: has neither a model spec ('{ModelSpec.MetadataKey}') nor a 'format' in its metadata, so it is not an Aver model file");
        if (Require(meta, "format", source) != V1Format) throw new InvalidDataException($"{source}: format '{meta["format"]}' is not a decision-fusion model");
        var labels = Space(meta, "", source);
        var branches = Require(meta, "branches", source).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var b in branches)
            if (b is not (AudioName or VisualName)) throw new InvalidDataException($"{source}: unknown branch '{b}' (this version reads audio and visual)");
        AudioBranchArchitecture? audio = null;
        VisualBranchArchitecture? visual = null;
        var frontEnds = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var calibration = new JsonObject();
        var consumed = new HashSet<string>(StringComparer.Ordinal) { "format", "format_version", "label_space", "labels", "branches", "command" };
        if (branches.Contains(AudioName))
        {
            Architecture(meta, AudioName, "mrpn-am", source);
            var aggregator = Enum.TryParse<AggregatorKind>(Require(meta, "audio.aggregator", source), ignoreCase: true, out var kind) ? kind
                : throw new InvalidDataException($"{source}: unknown audio.aggregator '{meta["audio.aggregator"]}'");
            var network = MrpnArchitecture.AudioOnly(new BranchArchitecture(Int(meta, "audio.width", source), 1, aggregator, Int(meta, "audio.hidden", source)),
                Int(meta, "audio.scoring_hidden", source), 0.3f);
            audio = new AudioBranchArchitecture(network, Labels(Space(meta, "audio.", source)));
            foreach (var (k, v) in new MrpnFrontEnds(new MrpnAudioOptions(), Int(meta, "audio.pool", source), null).ToSpec()) frontEnds[k] = v;
            calibration[AudioName] = JsonSerializer.SerializeToNode(Calibration(meta, AudioName, source), MetadataJson.Options);
            consumed.UnionWith(["audio.architecture", "audio.label_space", "audio.labels", "audio.temperature", "audio.weight", "audio.width", "audio.pool",
                "audio.aggregator", "audio.hidden", "audio.scoring_hidden", "audio.input"]);
        }
        if (branches.Contains(VisualName))
        {
            Architecture(meta, VisualName, "resnet18", source);
            int inChannels = Int(meta, "visual.in_channels", source);
            visual = new VisualBranchArchitecture(new ResNetArchitecture(inChannels, Int(meta, "visual.width", source)), Labels(Space(meta, "visual.", source)));
            var face = new FaceInput(Int(meta, "visual.input_size", source), Float(meta, "visual.pixel_mean", source), Float(meta, "visual.pixel_std", source),
                meta.ContainsKey("visual.crop_margin") ? Float(meta, "visual.crop_margin", source) : 0.2f);
            frontEnds[FaceName] = JsonSerializer.SerializeToNode(face, MetadataJson.Options)!.AsObject();
            calibration[VisualName] = JsonSerializer.SerializeToNode(Calibration(meta, VisualName, source), MetadataJson.Options);
            consumed.UnionWith(["visual.architecture", "visual.label_space", "visual.labels", "visual.temperature", "visual.weight", "visual.width",
                "visual.in_channels", "visual.input_size", "visual.pixel_mean", "visual.pixel_std", "visual.crop_margin", "visual.input"]);
        }
        // What the old layout kept as provenance (training data, accuracies, licence) stays, as the spec's extra.
        var extra = meta.Where(kv => !consumed.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        return new ModelSpec(Format, ModelSpec.ToJson(new DecisionFusionArchitecture(audio, visual)), Labels(labels), frontEnds, calibration,
            new Provenance(Command: meta.GetValueOrDefault("command")), extra);
    }

    private static LabelSpec Labels(LabelSpace space) => new(space.Name, space.Names.ToArray());

    private static BranchCalibration Calibration(IReadOnlyDictionary<string, string> meta, string branch, string source)
    {
        var cal = new BranchCalibration(Double(meta, branch + ".temperature", source), Double(meta, branch + ".weight", source));
        try { cal.Validate(branch); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{source}: {e.Message}"); }
        return cal;
    }

    private static void Architecture(IReadOnlyDictionary<string, string> meta, string branch, string expected, string source)
    {
        var arch = Require(meta, branch + ".architecture", source);
        if (arch != expected) throw new InvalidDataException($"{source}: {branch}.architecture is '{arch}'; this version reads '{expected}'");
    }

    private static LabelSpace Space(IReadOnlyDictionary<string, string> meta, string prefix, string source)
    {
        var name = Require(meta, prefix + "label_space", source);
        var names = Require(meta, prefix + "labels", source).Split(',', StringSplitOptions.TrimEntries);
        LabelSpace space;
        try { space = new LabelSpace(name, names); }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: {prefix}labels: {e.Message}"); }
        // A known space's name must mean its classes, in its order: label maps are looked up by name.
        if (LabelSpaces.Find(name) is { } known && !known.Equals(space))
            throw new InvalidDataException($"{source}: {prefix}label_space says {name} but lists [{string.Join(", ", names)}], not {known}");
        return LabelSpaces.Find(name) ?? space;
    }

    private static string Require(IReadOnlyDictionary<string, string> meta, string key, string source) =>
        meta.TryGetValue(key, out var v) && v.Length > 0 ? v : throw new InvalidDataException($"{source}: metadata key '{key}' is missing");

    private static int Int(IReadOnlyDictionary<string, string> meta, string key, string source) =>
        int.TryParse(Require(meta, key, source), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0 ? v
            : throw new InvalidDataException($"{source}: metadata '{key}' = '{meta[key]}' is not a positive whole number");

    private static double Double(IReadOnlyDictionary<string, string> meta, string key, string source) =>
        double.TryParse(Require(meta, key, source), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v
            : throw new InvalidDataException($"{source}: metadata '{key}' = '{meta[key]}' is not a number");

    private static float Float(IReadOnlyDictionary<string, string> meta, string key, string source) =>
        float.TryParse(Require(meta, key, source), NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v) ? v
            : throw new InvalidDataException($"{source}: metadata '{key}' = '{meta[key]}' is not a number");
}
