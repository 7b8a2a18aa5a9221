using System.Globalization;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features.Mrpn;
using Aver.Media;
using Aver.Models.Mrpn;
using Aver.Models.Spec;

namespace Aver.Inference.Mrpn;

/// <summary>
/// The upgrade path of MRPN files written before the model spec (metadata <c>format</c> = mrpn,
/// <c>mrpn_version</c> = 1, flat keys such as <c>audio.width</c> and <c>video.pixel_mean</c>): their keys are read
/// into the <see cref="ModelSpec"/> a current file would hold, so fold bundles of earlier runs still load.
/// Reading names the file and the key of any missing or unreadable value.
/// </summary>
public static class MrpnV1Metadata
{
    /// <summary>The only flat-key layout there was.</summary>
    public const string Version = "1";

    /// <summary>The spec an mrpn_version 1 file describes; <see cref="InvalidDataException"/> names <paramref name="source"/> and the key.</summary>
    public static ModelSpec ToSpec(IReadOnlyDictionary<string, string> m, string source)
    {
        var r = new Reader(m, source);
        if (!m.ContainsKey("format")) throw new InvalidDataException($"{source}: has neither a model spec ('{ModelSpec.MetadataKey}') nor a 'format' in its metadata, so it is not an Aver model file");
        if (r.Need("format") != MrpnArchitecture.Family) throw r.Bad("format", "an MRPN bundle format");
        if (r.Need("mrpn_version") != Version) throw r.Bad("mrpn_version", $"a version this build reads ({Version}) or a model spec");
        string network = r.Need("network");
        if (network is not ("AM" or "VM" or "N0" or "N1" or "N2")) throw r.Bad("network", "one of AM, VM, N0, N1, N2");
        var names = r.Need("labels").Split(',');
        bool audio = network != "VM", visual = network != "AM";

        MrpnAudioOptions? audioOptions = null;
        int pool = 1;
        if (audio)
        {
            audioOptions = new MrpnAudioOptions
            {
                SampleRate = r.Int("audio.sample_rate"),
                SegmentSamples = r.Int("audio.segment_samples"),
                SegmentHopSamples = r.Int("audio.segment_hop_samples"),
                NFft = r.Int("audio.n_fft"),
                HopLength = r.Int("audio.hop_length"),
                Bins = r.Int("audio.bins"),
                LogEpsilon = r.Float("audio.log_epsilon", min: 0),
            };
            pool = r.Int("audio.pool");
        }
        MrpnVideoOptions? video = null;
        if (visual)
        {
            var color = r.Need("video.color") switch
            {
                "gray" => ImageColor.Gray,
                "rgb" => ImageColor.Rgb,
                _ => throw r.Bad("video.color", "gray or rgb"),
            };
            video = new MrpnVideoOptions
            {
                FaceSize = r.Int("video.face_size"),
                Color = color,
                Fps = r.Float("video.fps", min: float.Epsilon),
                Margin = r.Float("video.margin", min: 0),
                DecodeSide = r.Int("video.decode_side"),
                PixelMean = r.Float("video.pixel_mean"),
                PixelStd = r.Float("video.pixel_std", min: float.Epsilon),
            };
        }
        var architecture = new MrpnArchitecture(network,
            audio ? r.Branch("audio", channels: 1) : null,
            visual ? r.Branch("visual", channels: video!.Channels) : null,
            r.Int("scoring_hidden"), r.Float("dropout", min: 0));
        var extra = m.Where(kv => kv.Key is "fold" or "row" or "epoch").ToDictionary(kv => kv.Key, kv => kv.Value);
        var spec = new ModelSpec(MrpnArchitecture.Family, ModelSpec.ToJson(architecture), new LabelSpec(r.Need("label_space"), names),
            new MrpnFrontEnds(audioOptions, pool, video).ToSpec(), Extra: extra);
        spec.Labels.Validate(source);
        return spec;
    }

    /// <summary>Typed reads of the metadata; every failure names the file, the key and what was expected.</summary>
    private sealed class Reader(IReadOnlyDictionary<string, string> m, string source)
    {
        public string Need(string key) =>
            m.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{source}: MRPN bundle without '{key}' in its metadata");

        public InvalidDataException Bad(string key, string expected) =>
            new($"{source}: MRPN bundle metadata '{key}' is '{m[key]}', not {expected}");

        public int Int(string key) =>
            int.TryParse(Need(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0 ? v : throw Bad(key, "a positive integer");

        public float Float(string key, float min = float.NegativeInfinity) =>
            float.TryParse(Need(key), NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v) && v >= min
                ? v : throw Bad(key, min > 0 ? "a positive number" : min == 0 ? "a non-negative number" : "a number");

        public BranchArchitecture Branch(string prefix, int channels)
        {
            string key = $"{prefix}.aggregator";
            var aggregator = Need(key) switch
            {
                "lstm" => AggregatorKind.Lstm,
                "bilstm" => AggregatorKind.BiLstm,
                "transformer" => AggregatorKind.Transformer,
                _ => throw Bad(key, "lstm, bilstm or transformer"),
            };
            return new BranchArchitecture(Int($"{prefix}.width"), channels, aggregator, Int($"{prefix}.hidden"));
        }
    }
}
