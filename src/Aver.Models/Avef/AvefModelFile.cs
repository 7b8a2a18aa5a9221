using Aver.Tensors;
using Aver.Tensors.IO;

namespace Aver.Models.Avef;

/// <summary>
/// AVEF segment-model files: a stage's checkpoint (metadata <c>architecture</c> avef or avef-audio and
/// <c>avef_config</c>, the JSON architecture) or a fold's model file with its model spec (family "avef");
/// either way the network rebuilds from the file alone.
/// </summary>
public static class AvefModelFile
{
    /// <summary>Writes <paramref name="model"/>'s weights atomically with its architecture and <paramref name="metadata"/>.</summary>
    public static void Save(IAvefSegmentModel model, string path, string architecture, string configJson, IReadOnlyDictionary<string, string>? metadata)
    {
        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
        {
            ["architecture"] = architecture,
            ["avef_config"] = configJson,
        };
        model.Module.Save(path, meta);
    }

    /// <summary>The network a loaded file describes, with its weights (strict); <paramref name="source"/> names the file in errors.</summary>
    public static IAvefSegmentModel Read(SafeTensorsFile file, string source)
    {
        // A fold's model file (spec family "avef") rebuilds through the registry like every other model.
        if (Spec.ModelSpec.IsIn(file.Metadata))
            return Spec.ModelFile.Load(file, source).Network as IAvefSegmentModel
                ?? throw new InvalidDataException($"{source}: not an AVEF model (model family '{Spec.ModelSpec.FromMetadata(file.Metadata, source).Family}')");
        file.Metadata.TryGetValue("architecture", out var arch);
        if (!file.Metadata.TryGetValue("avef_config", out var json) || arch is not (AvefConfig.Architecture or AvefAudioConfig.Architecture))
            throw new InvalidDataException($"{source}: not an AVEF model (metadata architecture '{arch ?? "none"}')");
        IAvefSegmentModel model = arch == AvefConfig.Architecture
            ? new AvefNetwork(AvefConfig.FromJson(json, source), new RandomStream(0))
            : new AvefAudioNetwork(AvefAudioConfig.FromJson(json, source), new RandomStream(0));
        model.Module.LoadStateDict(file.Tensors, strict: true, source);
        return model;
    }

    /// <summary>Loads the file at <paramref name="path"/> as a <typeparamref name="T"/>; another AVEF architecture is an error naming the file.</summary>
    public static (T Network, IReadOnlyDictionary<string, string> Metadata) Load<T>(string path) where T : class, IAvefSegmentModel
    {
        var file = SafeTensors.Load(path);
        return Read(file, path) is T net ? (net, file.Metadata)
            : throw new InvalidDataException($"{path}: an AVEF model of architecture '{file.Metadata["architecture"]}', not a {typeof(T).Name}");
    }
}
