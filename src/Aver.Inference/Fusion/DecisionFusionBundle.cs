using System.Globalization;
using Aver.Data.Labels;
using Experiments = Aver.Training.Experiments;
using Aver.Inference.Branches;
using Aver.Media;
using Aver.Models.Mrpn;
using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;

namespace Aver.Inference.Fusion;

/// <summary>
/// The file format of a <see cref="DecisionFusionModel"/>: one safetensors file whose tensors are the branches'
/// state dictionaries under "audio." and "visual.", and whose <c>__metadata__</c> holds everything needed to rebuild
/// them (DESIGN.md: a model file carries architecture, hyper-parameters, preprocessing and label space):
/// <c>format</c> = <see cref="Format"/>, <c>label_space</c>/<c>labels</c>, and per branch its architecture, sizes,
/// label space, temperature and fusion weight (keys "audio.*", "visual.*").
/// </summary>
public static class DecisionFusionBundle
{
    public const string Format = "aver-decision-fusion";
    public const string Version = "1";

    /// <summary>Settings of the audio branch as written to a bundle.</summary>
    public sealed record AudioSpec(AudioNetworkSettings Model, LabelSpace Labels, BranchCalibration Calibration);

    /// <summary>Settings of the visual branch as written to a bundle.</summary>
    public sealed record VisualSpec(int Width, LabelSpace Labels, FaceInput Input, BranchCalibration Calibration);

    /// <summary>
    /// Writes the bundle atomically. <paramref name="extra"/> adds provenance (training data, accuracies) to the metadata.
    /// Weights are stored as float16 unless <paramref name="dtype"/> says otherwise (a width-16 ResNet-18 is 1.4 MB then).
    /// </summary>
    public static void Save(string path, LabelSpace labels, (UnimodalNetwork Network, AudioSpec Spec)? audio, (ResNet18 Network, VisualSpec Spec)? visual,
        IReadOnlyDictionary<string, string>? extra = null, SafeTensorsDType dtype = SafeTensorsDType.F16)
    {
        var c = CultureInfo.InvariantCulture;
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = Format, ["format_version"] = Version,
            ["label_space"] = labels.Name, ["labels"] = string.Join(",", labels.Names),
        };
        var tensors = new List<KeyValuePair<string, Tensor>>();
        var branches = new List<string>();
        if (audio is var (an, a))
        {
            branches.Add("audio");
            Put(meta, "audio", "mrpn-am", a.Labels, a.Calibration);
            meta["audio.width"] = a.Model.Width.ToString(c);
            meta["audio.pool"] = a.Model.Pool.ToString(c);
            meta["audio.aggregator"] = a.Model.Aggregator.ToString().ToLowerInvariant();
            meta["audio.hidden"] = a.Model.Hidden.ToString(c);
            meta["audio.scoring_hidden"] = a.Model.ScoringHidden.ToString(c);
            meta["audio.input"] = "MRPN log-magnitude spectrogram segments (16 kHz, Hann 512, hop 64, 1 s every 0.2 s, 256 x 250), clip-standardised, average-pooled by audio.pool";
            tensors.AddRange(an.StateDict().Select(kv => new KeyValuePair<string, Tensor>("audio." + kv.Key, kv.Value)));
        }
        if (visual is var (vn, v))
        {
            branches.Add("visual");
            Put(meta, "visual", "resnet18", v.Labels, v.Calibration);
            meta["visual.width"] = v.Width.ToString(c);
            meta["visual.in_channels"] = "1";
            meta["visual.input_size"] = v.Input.Size.ToString(c);
            meta["visual.pixel_mean"] = v.Input.PixelMean.ToString("R", c);
            meta["visual.pixel_std"] = v.Input.PixelStd.ToString("R", c);
            meta["visual.crop_margin"] = v.Input.Margin.ToString("R", c);
            meta["visual.input"] = "BlazeFace-tracked face, square crop (box + margin), grey, input_size px, (pixels/255 - pixel_mean) / pixel_std";
            tensors.AddRange(vn.StateDict().Select(kv => new KeyValuePair<string, Tensor>("visual." + kv.Key, kv.Value)));
        }
        if (branches.Count == 0) throw new ArgumentException("a decision-fusion bundle needs at least one branch");
        meta["branches"] = string.Join(",", branches);
        if (extra is not null) foreach (var (k, val) in extra) meta[k] = val;
        SafeTensors.Save(path, tensors, meta, dtype);
    }

    private static void Put(Dictionary<string, string> meta, string branch, string architecture, LabelSpace labels, BranchCalibration cal)
    {
        var c = CultureInfo.InvariantCulture;
        meta[$"{branch}.architecture"] = architecture;
        meta[$"{branch}.label_space"] = labels.Name;
        meta[$"{branch}.labels"] = string.Join(",", labels.Names);
        meta[$"{branch}.temperature"] = cal.Temperature.ToString("R", c);
        meta[$"{branch}.weight"] = cal.Weight.ToString("R", c);
    }

    /// <summary>
    /// Rebuilds the model from <paramref name="file"/> (read from <paramref name="source"/>). Any missing key, unknown
    /// architecture, label list that disagrees with the weights' shapes, or tensor of the wrong shape is an
    /// <see cref="InvalidDataException"/> or <see cref="StateDictException"/> naming the file.
    /// </summary>
    public static DecisionFusionModel Load(SafeTensorsFile file, string source, Func<FaceTracker> tracker)
    {
        var meta = file.Metadata;
        var labels = Space(meta, "", source);
        var branches = Require(meta, "branches", source).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var b in branches)
            if (b is not ("audio" or "visual")) throw new InvalidDataException($"{source}: unknown branch '{b}' (this version reads audio and visual)");
        var consumed = new HashSet<string>(StringComparer.Ordinal);

        AudioBranch? audio = null;
        BranchCalibration? audioCal = null;
        if (branches.Contains("audio"))
        {
            Architecture(meta, "audio", "mrpn-am", source);
            var space = Space(meta, "audio.", source);
            audioCal = Calibration(meta, "audio", source);
            var settings = new AudioNetworkSettings(
                Width: Int(meta, "audio.width", source), Pool: Int(meta, "audio.pool", source),
                Aggregator: Enum.TryParse<AggregatorKind>(Require(meta, "audio.aggregator", source), ignoreCase: true, out var kind) ? kind
                    : throw new InvalidDataException($"{source}: unknown audio.aggregator '{meta["audio.aggregator"]}'"),
                Hidden: Int(meta, "audio.hidden", source), ScoringHidden: Int(meta, "audio.scoring_hidden", source));
            var network = settings.Build(space.Count, new RandomStream(0));
            LoadBranch(network, file, "audio.", source, consumed);
            audio = new AudioBranch(network, space, settings.Pool, (float)audioCal.Temperature);
        }

        FaceBranch? visual = null;
        BranchCalibration? visualCal = null;
        if (branches.Contains("visual"))
        {
            Architecture(meta, "visual", "resnet18", source);
            var space = Space(meta, "visual.", source);
            visualCal = Calibration(meta, "visual", source);
            int inChannels = Int(meta, "visual.in_channels", source);
            if (inChannels != 1) throw new InvalidDataException($"{source}: visual.in_channels is {inChannels}; this version's visual branch takes grey faces (1)");
            var network = new ResNet18(new ResNetConfig(InChannels: 1, Width: Int(meta, "visual.width", source), Classes: space.Count), new RandomStream(0));
            LoadBranch(network, file, "visual.", source, consumed);
            var input = new FaceInput(Int(meta, "visual.input_size", source), Float(meta, "visual.pixel_mean", source), Float(meta, "visual.pixel_std", source),
                meta.ContainsKey("visual.crop_margin") ? Float(meta, "visual.crop_margin", source) : 0.2f);
            if (!(input.PixelStd > 0)) throw new InvalidDataException($"{source}: visual.pixel_std must be positive");
            visual = new FaceBranch(network, space, input, (float)visualCal.Temperature, tracker);
        }
        var stray = file.Tensors.Keys.Where(k => !consumed.Contains(k)).Take(5).ToList();
        if (stray.Count > 0) throw new StateDictException($"{source}: tensors that belong to no branch: {string.Join(", ", stray)}");
        return new DecisionFusionModel(labels, audio, audioCal, visual, visualCal, source);
    }

    private static void LoadBranch(Module network, SafeTensorsFile file, string prefix, string source, HashSet<string> consumed)
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (k, t) in file.Tensors)
            if (k.StartsWith(prefix, StringComparison.Ordinal)) { state[k[prefix.Length..]] = t; consumed.Add(k); }
        network.LoadStateDict(state, strict: true, source: $"{source} ({prefix.TrimEnd('.')} branch)");
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

    private static void Architecture(IReadOnlyDictionary<string, string> meta, string branch, string expected, string source)
    {
        var arch = Require(meta, branch + ".architecture", source);
        if (arch != expected) throw new InvalidDataException($"{source}: {branch}.architecture is '{arch}'; this version reads '{expected}'");
    }

    private static BranchCalibration Calibration(IReadOnlyDictionary<string, string> meta, string branch, string source)
    {
        var cal = new BranchCalibration(Float(meta, branch + ".temperature", source), Float(meta, branch + ".weight", source));
        try { cal.Validate(branch); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{source}: {e.Message}"); }
        return cal;
    }

    private static string Require(IReadOnlyDictionary<string, string> meta, string key, string source) =>
        meta.TryGetValue(key, out var v) && v.Length > 0 ? v : throw new InvalidDataException($"{source}: metadata key '{key}' is missing");

    private static int Int(IReadOnlyDictionary<string, string> meta, string key, string source) =>
        int.TryParse(Require(meta, key, source), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0 ? v
            : throw new InvalidDataException($"{source}: metadata '{key}' = '{meta[key]}' is not a positive whole number");

    private static float Float(IReadOnlyDictionary<string, string> meta, string key, string source) =>
        float.TryParse(Require(meta, key, source), NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v) ? v
            : throw new InvalidDataException($"{source}: metadata '{key}' = '{meta[key]}' is not a number");
}
