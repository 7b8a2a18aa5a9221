using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Aver.Training.Config;

/// <summary>
/// Reads configs written before their sections were bound to the option records (<see cref="ConfigYaml"/>), so that
/// users' files and the resolved copies in older run folders still load and still resume: <c>features.audio</c> gave
/// the MRPN front end in seconds and an FFT <c>window</c> (now <c>segment_samples</c>, <c>segment_hop_samples</c>,
/// <c>n_fft</c> with <c>bins</c> = n_fft / 2, <c>hop_length</c>; <c>standardize</c> could only be true), and
/// <c>features.log_mel.hop</c> is now <c>hop_length</c>. The upgraded text is what is then read.
/// </summary>
internal static class LegacyConfigKeys
{
    /// <summary>The config with its old keys replaced, or null when it has none (then the text is read as it is, keeping its line numbers).</summary>
    public static string? Upgrade(string yaml, string source)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (Exception e) when (e is YamlException or ArgumentException or InvalidOperationException) { return null; } // the deserializer reports it, with its line
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return null;
        if (Child(root, "features") is not YamlMappingNode features) return null;

        var errors = new List<ConfigError>();
        bool changed = false;
        if (Child(features, "audio") is YamlMappingNode audio) changed |= UpgradeMrpnAudio(audio, errors);
        if (Child(features, "log_mel") is YamlMappingNode logMel) changed |= Rename(logMel, "features.log_mel", "hop", "hop_length", errors);
        if (errors.Count > 0) throw new ConfigException(source, errors);
        if (!changed) return null;
        var text = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(text, assignAnchors: false);
        return text.ToString();
    }

    private static bool UpgradeMrpnAudio(YamlMappingNode audio, List<ConfigError> errors)
    {
        const string section = "features.audio";
        bool changed = false;
        if (Child(audio, "standardize") is { } standardize)
        {
            if (standardize is not YamlScalarNode { Value: var v } || !bool.TryParse(v, out bool on) || !on)
                errors.Add(new ConfigError($"{section}.standardize", "only true is supported (MRPN §4.4 standardises every clip); the key is no longer needed", Line(standardize)));
            audio.Children.Remove(new YamlScalarNode("standardize"));
            changed = true;
        }
        if (Child(audio, "window") is { } window && Number(window, $"{section}.window", errors) is double n)
        {
            if (Child(audio, "bins") is null) audio.Children.Add("bins", Whole(n / 2));
            changed |= Rename(audio, section, "window", "n_fft", errors);
        }
        changed |= Rename(audio, section, "hop", "hop_length", errors);
        double rate = Child(audio, "sample_rate") is { } r && Number(r, $"{section}.sample_rate", errors) is double rr ? rr : 16000;
        foreach (var (seconds, samples) in new[] { ("segment_seconds", "segment_samples"), ("segment_hop_seconds", "segment_hop_samples") })
        {
            if (Child(audio, seconds) is not { } node || Number(node, $"{section}.{seconds}", errors) is not double s) continue;
            double count = s * rate;
            if (Math.Abs(count - Math.Round(count)) > 1e-6)
                errors.Add(new ConfigError($"{section}.{seconds}", $"{s} s at {rate} Hz is not a whole number of samples", Line(node)));
            audio.Children[new YamlScalarNode(seconds)] = Whole(count);
            changed |= Rename(audio, section, seconds, samples, errors);
        }
        return changed;
    }

    /// <summary>Renames <paramref name="old"/> to <paramref name="now"/> in place; both present is an error.</summary>
    private static bool Rename(YamlMappingNode map, string section, string old, string now, List<ConfigError> errors)
    {
        var key = new YamlScalarNode(old);
        if (!map.Children.TryGetValue(key, out var value)) return false;
        if (Child(map, now) is not null)
        {
            errors.Add(new ConfigError($"{section}.{old}", $"is the older name of {now}; give only one of them", Line(value)));
            return false;
        }
        // Rebuilt in order, so the key keeps its place.
        var entries = map.Children.ToList();
        map.Children.Clear();
        foreach (var (k, v) in entries) map.Children.Add(k.Equals(key) ? new YamlScalarNode(now) : k, v);
        return true;
    }

    private static YamlNode? Child(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static double? Number(YamlNode node, string key, List<ConfigError> errors)
    {
        if (node is YamlScalarNode { Value: var v } && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)) return d;
        errors.Add(new ConfigError(key, $"'{(node as YamlScalarNode)?.Value ?? node.NodeType.ToString()}' is not a number", Line(node)));
        return null;
    }

    private static YamlScalarNode Whole(double value) => new(((long)Math.Round(value)).ToString(CultureInfo.InvariantCulture));

    private static int Line(YamlNode node) => (int)node.Start.Line;
}
