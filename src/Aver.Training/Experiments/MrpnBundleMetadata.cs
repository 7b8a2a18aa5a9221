using System.Globalization;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features.Mrpn;
using Aver.Media;
using Aver.Models.Mrpn;

namespace Aver.Training.Experiments;

/// <summary>
/// The safetensors metadata of an <see cref="MrpnBundle"/>: which network (AM, VM, N0, N1, N2), its branches'
/// sizes and aggregator, the label space, and the front ends it was trained with (audio: spectrogram segments
/// and pooling; video: face size, colour, rate, crop margin, pixel standardisation). Only the modalities the
/// network has are written. Every value is culture-invariant text; reading names the file and the key of any
/// missing or unreadable value.
/// </summary>
public static class MrpnBundleMetadata
{
    /// <summary>Version of this layout; a file with another one is refused rather than misread.</summary>
    public const string Version = "1";

    /// <summary>The metadata of a network built from <paramref name="s"/> over <paramref name="labels"/>.</summary>
    public static Dictionary<string, string> Write(MrpnExperimentSettings s, LabelSpace labels)
    {
        var m = new Dictionary<string, string>
        {
            ["format"] = MrpnBundle.Format,
            ["mrpn_version"] = Version,
            ["network"] = NetworkName(s),
            ["label_space"] = labels.Name,
            ["labels"] = string.Join(",", labels.Names),
            ["scoring_hidden"] = Text(s.ScoringHidden),
            ["dropout"] = Text(s.Dropout),
        };
        if (s.Kind != MrpnModelKind.Video)
        {
            WriteBranch(m, "audio", s.Audio);
            var a = s.AudioFeatures;
            m["audio.sample_rate"] = Text(a.SampleRate);
            m["audio.segment_samples"] = Text(a.SegmentSamples);
            m["audio.segment_hop_samples"] = Text(a.SegmentHopSamples);
            m["audio.n_fft"] = Text(a.NFft);
            m["audio.hop_length"] = Text(a.HopLength);
            m["audio.bins"] = Text(a.Bins);
            m["audio.log_epsilon"] = Text(a.LogEpsilon);
            m["audio.pool"] = Text(s.AudioPool);
        }
        if (s.Kind != MrpnModelKind.Audio)
        {
            WriteBranch(m, "visual", s.Visual);
            var v = s.Video;
            m["video.face_size"] = Text(v.FaceSize);
            m["video.color"] = v.Color == ImageColor.Gray ? "gray" : "rgb";
            m["video.fps"] = Text(v.Fps);
            m["video.margin"] = Text(v.Margin);
            m["video.decode_side"] = Text(v.DecodeSide);
            m["video.pixel_mean"] = Text(v.PixelMean);
            m["video.pixel_std"] = Text(v.PixelStd);
        }
        return m;
    }

    /// <summary>AM, VM, N0, N1 or N2.</summary>
    public static string NetworkName(MrpnExperimentSettings s) => s.Kind switch
    {
        MrpnModelKind.Audio => "AM",
        MrpnModelKind.Video => "VM",
        _ => s.Variant.ToString(),
    };

    /// <summary>
    /// The settings and labels <paramref name="m"/> describes (extractor starts and late-fusion sources are
    /// training matters and come back null). Throws <see cref="InvalidDataException"/> naming <paramref name="source"/> and the key.
    /// </summary>
    public static (MrpnExperimentSettings Settings, LabelSpace Labels) Read(IReadOnlyDictionary<string, string> m, string source)
    {
        var r = new Reader(m, source);
        if (r.Need("format") != MrpnBundle.Format) throw r.Bad("format", "an MRPN bundle format");
        if (r.Need("mrpn_version") != Version) throw r.Bad("mrpn_version", $"a version this build reads ({Version})");
        string network = r.Need("network");
        var (kind, variant) = network switch
        {
            "AM" => (MrpnModelKind.Audio, FusionVariant.N2),
            "VM" => (MrpnModelKind.Video, FusionVariant.N2),
            "N0" => (MrpnModelKind.Fusion, FusionVariant.N0),
            "N1" => (MrpnModelKind.Fusion, FusionVariant.N1),
            "N2" => (MrpnModelKind.Fusion, FusionVariant.N2),
            _ => throw r.Bad("network", "one of AM, VM, N0, N1, N2"),
        };
        var names = r.Need("labels").Split(',');
        if (names.Length < 2 || names.Any(string.IsNullOrWhiteSpace) || names.Distinct().Count() != names.Length)
            throw r.Bad("labels", "two or more distinct comma-separated class names");
        string space = r.Need("label_space");
        var labels = LabelSpaces.Find(space) is { } known && known.Names.SequenceEqual(names) ? known : new LabelSpace(space, names);

        var s = new MrpnExperimentSettings
        {
            Kind = kind,
            Variant = variant,
            ScoringHidden = r.Int("scoring_hidden"),
            Dropout = r.Float("dropout", min: 0),
        };
        if (kind != MrpnModelKind.Video)
            s = s with
            {
                Audio = r.Branch("audio", channels: 1),
                AudioFeatures = new MrpnAudioOptions
                {
                    SampleRate = r.Int("audio.sample_rate"),
                    SegmentSamples = r.Int("audio.segment_samples"),
                    SegmentHopSamples = r.Int("audio.segment_hop_samples"),
                    NFft = r.Int("audio.n_fft"),
                    HopLength = r.Int("audio.hop_length"),
                    Bins = r.Int("audio.bins"),
                    LogEpsilon = r.Float("audio.log_epsilon", min: 0),
                },
                AudioPool = r.Int("audio.pool"),
            };
        if (kind != MrpnModelKind.Audio)
        {
            var color = r.Need("video.color") switch
            {
                "gray" => ImageColor.Gray,
                "rgb" => ImageColor.Rgb,
                _ => throw r.Bad("video.color", "gray or rgb"),
            };
            var video = new MrpnVideoOptions
            {
                FaceSize = r.Int("video.face_size"),
                Color = color,
                Fps = r.Float("video.fps", min: float.Epsilon),
                Margin = r.Float("video.margin", min: 0),
                DecodeSide = r.Int("video.decode_side"),
                PixelMean = r.Float("video.pixel_mean"),
                PixelStd = r.Float("video.pixel_std", min: float.Epsilon),
            };
            s = s with { Visual = r.Branch("visual", channels: video.Channels), Video = video };
        }
        return (s, labels);
    }

    private static void WriteBranch(Dictionary<string, string> m, string prefix, BranchSettings b)
    {
        m[$"{prefix}.width"] = Text(b.Width);
        m[$"{prefix}.aggregator"] = b.Aggregator.ToString().ToLowerInvariant();
        m[$"{prefix}.hidden"] = Text(b.Hidden);
    }

    private static string Text(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Text(float v) => v.ToString("R", CultureInfo.InvariantCulture);
    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);

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

        public BranchSettings Branch(string prefix, int channels)
        {
            string key = $"{prefix}.aggregator";
            var aggregator = Need(key) switch
            {
                "lstm" => AggregatorKind.Lstm,
                "bilstm" => AggregatorKind.BiLstm,
                "transformer" => AggregatorKind.Transformer,
                _ => throw Bad(key, "lstm, bilstm or transformer"),
            };
            return new BranchSettings(Int($"{prefix}.width"), channels, aggregator, Int($"{prefix}.hidden"));
        }
    }
}
