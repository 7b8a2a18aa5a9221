using System.Text.RegularExpressions;
using Aver.Tensors.IO;
using Aver.Training.Training;
using YamlDotNet.Core;
using Aver.Features.LogMel;
using Aver.Features.Mrpn;

namespace Aver.Training.Config;

/// <summary>
/// Reads an experiment YAML into an <see cref="ExperimentConfig"/>, checks every key, resolves relative
/// paths against the config's folder, and writes the resolved copy a run folder keeps. Errors are a
/// <see cref="ConfigException"/> naming the file, the key and, for syntax and unknown keys, the line.
/// </summary>
public static partial class ExperimentConfigLoader
{
    /// <summary>The name of the resolved copy inside a run folder.</summary>
    public const string ResolvedFileName = "config.yaml";

    private static readonly Dictionary<string, string> Sections = new()
    {
        [nameof(ExperimentConfig)] = "", [nameof(DatasetConfig)] = "dataset.", [nameof(ProtocolConfig)] = "protocol.",
        [nameof(ModelConfig)] = "model.", [nameof(Training.TrainerOptions)] = "training.", [nameof(FeaturesConfig)] = "features.",
        [nameof(MrpnAudioOptions)] = "features.audio.", [nameof(VideoFeaturesConfig)] = "features.video.",
        [nameof(AvefModelConfig)] = "model.avef.", [nameof(AudioCnnModelConfig)] = "model.audio_cnn.", [nameof(LogMelOptions)] = "features.log_mel.",
    };

    /// <summary>Reads, validates and resolves the config at <paramref name="path"/>.</summary>
    public static ExperimentConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ConfigException(path, [new ConfigError("(file)", "does not exist")]);
        if (UnixFile.NotRegular(path) is { } why) throw new ConfigException(path, [new ConfigError("(file)", why)]);
        var config = Parse(File.ReadAllText(path), path);
        var errors = ExperimentConfigValidator.Validate(config);
        if (errors.Count > 0) throw new ConfigException(path, errors);
        Resolve(config, Path.GetDirectoryName(Path.GetFullPath(path))!);
        return config;
    }

    /// <summary>Parses YAML text without validating; <paramref name="source"/> names it in errors.</summary>
    public static ExperimentConfig Parse(string yaml, string source)
    {
        yaml = LegacyConfigKeys.Upgrade(yaml, source) ?? yaml;
        ExperimentConfig config;
        try
        {
            config = ConfigYaml.Deserializer().Deserialize<ExperimentConfig?>(yaml)
                     ?? throw new ConfigException(source, [new ConfigError("(file)", "is empty")]);
        }
        catch (YamlException e)
        {
            throw new ConfigException(source, [Describe(e)]);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet's parser raises ArgumentException for a malformed tag such as !<a b>, and InvalidOperationException
            // ("The scanner should contain no more tokens") for a document cut by a NUL after a stray key (both found by fuzzing).
            throw new ConfigException(source, [new ConfigError("(yaml)", YamlErrorText.Plain(e.Message))]);
        }
        NullMeansDefault.Apply(config);
        return config;
    }

    private static ConfigError Describe(YamlException e)
    {
        int line = (int)e.Start.Line;
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is ConfigValueException value) return new ConfigError(value.Key, value.Problem, (int)value.Start.Line);
        string message = e.InnerException?.Message ?? e.Message;
        var unknown = UnknownProperty().Match(e.Message);
        if (unknown.Success)
        {
            string type = unknown.Groups[2].Value.Split('.')[^1];
            string key = (Sections.TryGetValue(type, out var prefix) ? prefix : "") + unknown.Groups[1].Value;
            return new ConfigError(key, "is not a known key (check its spelling and section)", line);
        }
        // The deepest inner exception says why a value does not convert (e.g. "abc" for an integer).
        var inner = e.InnerException;
        while (inner?.InnerException is not null) inner = inner.InnerException;
        return new ConfigError("(yaml)", YamlErrorText.Plain(inner?.Message ?? message), line);
    }

    [GeneratedRegex(@"Property '([^']+)' not found on type '([^']+)'")]
    private static partial Regex UnknownProperty();

    /// <summary>Makes dataset and init paths absolute (relative to <paramref name="folder"/>) and fills the protocol seed.</summary>
    public static void Resolve(ExperimentConfig config, string folder)
    {
        string Abs(string p) => Path.GetFullPath(Path.IsPathRooted(p) ? p : Path.Combine(folder, p));
        if (config.Dataset?.Path is string dp) config.Dataset.Path = Abs(dp);
        if (config.Model?.VisualInit is string vi) config.Model.VisualInit = Abs(vi);
        if (config.Model?.AudioInit is string ai) config.Model.AudioInit = Abs(ai);
        if (config.Model?.AudioNetwork is string an) config.Model.AudioNetwork = Abs(an);
        if (config.Model?.VisualNetwork is string vn) config.Model.VisualNetwork = Abs(vn);
        if (config.Model?.Avef?.TransferFrom is string tf) config.Model.Avef.TransferFrom = Abs(tf);
        if (config.Protocol is not null) config.Protocol.Seed ??= config.Seed;
    }

    /// <summary>The config as YAML, every default written out.</summary>
    public static string ToYaml(ExperimentConfig config) => ConfigYaml.Serializer().Serialize(config);

    /// <summary>Writes the resolved config into <paramref name="runFolder"/> (atomically); returns its path.</summary>
    public static string WriteResolved(ExperimentConfig config, string runFolder)
    {
        string path = Path.Combine(runFolder, ResolvedFileName);
        AtomicFile.WriteAllText(path, "# Resolved experiment config: every default filled in, paths absolute.\n" + ToYaml(config));
        return path;
    }

    /// <summary>The trainer options of the config's training section, with the experiment's seed; <c>patience: 0</c> never stops early.</summary>
    public static TrainerOptions TrainerOptions(ExperimentConfig config) => config.Training with
    {
        Seed = config.Seed,
        EarlyStoppingPatience = config.Training.EarlyStoppingPatience is 0 ? null : config.Training.EarlyStoppingPatience,
    };
}
