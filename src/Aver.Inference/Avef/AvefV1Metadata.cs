using System.Globalization;
using Aver.Data.Pipelines;
using Aver.Models.Avef;
using Aver.Models.Spec;

namespace Aver.Inference.Avef;

/// <summary>
/// The upgrade path of AVEF files written before the model spec (metadata <c>format</c> = avef with flat keys:
/// <c>architecture</c>, <c>avef_config</c>, <c>case</c>, <c>face_size</c>, <c>svm</c>...): read into the
/// <see cref="ModelSpec"/> a current file holds, so fold models of earlier runs still load. Those files kept
/// no audio front-end parameters; their models were trained with the defaults, which this reads them with.
/// </summary>
public static class AvefV1Metadata
{
    /// <summary>The spec an earlier AVEF file describes; <see cref="InvalidDataException"/> names <paramref name="source"/> and the key.</summary>
    public static ModelSpec ToSpec(IReadOnlyDictionary<string, string> m, string source)
    {
        string Need(string key) => m.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{source}: AVEF model file without '{key}' in its metadata");
        T Parse<T>(string key, Func<string, T?> parse) where T : struct =>
            parse(Need(key)) ?? throw new InvalidDataException($"{source}: AVEF model file metadata '{key}' is '{m[key]}', which is not readable");
        if (!m.ContainsKey("format")) throw new InvalidDataException($"{source}: has neither a model spec ('{ModelSpec.MetadataKey}') nor a 'format' in its metadata, so it is not an Aver model file");
        if (Need("format") != AvefArchitecture.Family) throw new InvalidDataException($"{source}: format '{m["format"]}' is not an AVEF model");

        AvefArchitecture architecture = Need("architecture") switch
        {
            AvefConfig.Architecture => AvefConfig.FromJson(Need("avef_config"), source) is var c ? new AvefArchitecture(c.Audio, c.Visual, c.DbnHidden) : null!,
            AvefAudioConfig.Architecture => AvefAudioConfig.FromJson(Need("avef_config"), source) is var a ? new AvefArchitecture(a.Audio, null, a.DbnHidden) : null!,
            var other => throw new InvalidDataException($"{source}: AVEF model file metadata 'architecture' is '{other}', not avef or avef-audio"),
        };
        var frontEnds = new AvefFrontEnds(
            Parse("case", v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x) ? x : (int?)null),
            Parse("min_speech_fraction", v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x : (double?)null),
            Need("standardize") == "true",
            Parse("face_size", v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x) ? x : (int?)null),
            Need("face_color") == "gray",
            Need("fps") == "native" ? null : Parse("fps", v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x : (double?)null));
        var components = m.TryGetValue(AvefBundle.SvmComponent, out var svm) ? new Dictionary<string, string> { [AvefBundle.SvmComponent] = svm } : null;
        var extra = m.Where(kv => kv.Key is "fold" or "row" or "epoch").ToDictionary(kv => kv.Key, kv => kv.Value);
        var spec = new ModelSpec(AvefArchitecture.Family, ModelSpec.ToJson(architecture), new LabelSpec(Need("label_space"), Need("labels").Split(',')),
            frontEnds.ToSpec(architecture.AudioVisual), Extra: extra, Components: components);
        spec.Labels.Validate(source);
        return spec;
    }
}
