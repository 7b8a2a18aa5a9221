using Aver.Inference.Avef;
using Aver.Inference.Fusion;
using Aver.Inference.Mrpn;
using Aver.Models.Spec;
using Aver.Tensors.IO;

namespace Aver.Inference;

/// <summary>
/// Rewrites a model file of an earlier flat-key layout (MRPN mrpn_version 1, AVEF, aver-decision-fusion)
/// with the model spec those keys describe. The tensors are copied unchanged, so the model answers exactly
/// as before; the readers also load such files directly, so upgrading is a tidy-up, not a necessity.
/// </summary>
public static class ModelUpgrade
{
    /// <summary>The spec an earlier file's flat keys describe; null when <paramref name="file"/> already holds a spec.</summary>
    public static ModelSpec? SpecOf(SafeTensorsFile file, string source)
    {
        if (ModelSpec.IsIn(file.Metadata)) return null;
        return file.Metadata.GetValueOrDefault("format") switch
        {
            MrpnBundle.Format => MrpnV1Metadata.ToSpec(file.Metadata, source),
            AvefBundle.Format => AvefV1Metadata.ToSpec(file.Metadata, source),
            DecisionFusionBundle.V1Format => DecisionFusionBundle.ToSpecFromV1(file.Metadata, source),
            var format => throw new InvalidDataException($"{source}: format '{format ?? "none"}' is not an earlier Aver model layout (mrpn, avef, aver-decision-fusion)"),
        };
    }

    /// <summary>
    /// Writes <paramref name="path"/>'s model with its spec to <paramref name="output"/> (may be the same path; written
    /// atomically), float16 when the input was stored so; false when the file already holds a spec (nothing written).
    /// </summary>
    public static bool Upgrade(string path, string output)
    {
        var file = SafeTensors.Load(path);
        if (SpecOf(file, path) is not { } spec) return false;
        // The registry must rebuild the network from the new spec alone before anything is written.
        ModelRegistry.Load(spec, file.Tensors, path);
        long elements = file.Tensors.Values.Sum(t => (long)t.Size);
        var dtype = new FileInfo(path).Length < 3 * elements ? SafeTensorsDType.F16 : SafeTensorsDType.F32;  // 2 bytes an element, not 4
        SafeTensors.Save(output, file.Tensors, spec.ToMetadata(), dtype);
        return true;
    }
}
