using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;

namespace Aver.Models.Spec;

/// <summary>
/// A model file: one safetensors file whose tensors are the network's state dict and whose metadata
/// holds its <see cref="ModelSpec"/>. Whatever wrote it, <see cref="Load"/> rebuilds the network
/// through <see cref="ModelRegistry"/> from the file alone.
/// </summary>
public static class ModelFile
{
    /// <summary>
    /// Writes <paramref name="network"/> with <paramref name="spec"/> (temporary name, then rename), after
    /// checking that the spec's family builds a network with exactly these tensors, so every file written loads.
    /// <paramref name="flatMetadata"/> adds plain keys beside the spec for readers of an older flat layout
    /// (the spec's own keys win).
    /// </summary>
    public static void Save(string path, Module network, ModelSpec spec, SafeTensorsDType dtype = SafeTensorsDType.F32,
        IReadOnlyDictionary<string, string>? flatMetadata = null)
    {
        var expected = ModelRegistry.Build(spec, new RandomStream(0), path).StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Shape.ToArray());
        var actual = network.StateDict().ToList();
        bool fits = actual.Count == expected.Count && actual.All(kv => expected.TryGetValue(kv.Key, out var shape) && shape.AsSpan().SequenceEqual(kv.Value.Shape));
        if (!fits) throw new ArgumentException($"{path}: a {network.GetType().Name} is not the {spec.Family} network its spec describes");
        var metadata = spec.ToMetadata();
        if (flatMetadata is not null)
            foreach (var (key, value) in flatMetadata) metadata.TryAdd(key, value);
        network.Save(path, metadata, dtype);
    }

    /// <summary>The spec and the network of a loaded file, in evaluation mode; problems name <paramref name="source"/>.</summary>
    public static (ModelSpec Spec, Module Network) Load(SafeTensorsFile file, string source)
    {
        var spec = ModelSpec.FromMetadata(file.Metadata, source);
        return (spec, ModelRegistry.Load(spec, file.Tensors, source));
    }
}
