using Aver.Models.AudioCnn;
using Aver.Models.Avef;
using Aver.Models.Fusion;
using Aver.Models.Mrpn;
using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Spec;

/// <summary>
/// The one place networks are built from a spec: a family name maps to its builder, which reads the
/// family's architecture and the label count. Training builds its networks here and saves the same
/// spec beside the weights; prediction rebuilds them here from the file alone (as timm's registry does).
/// </summary>
public static class ModelRegistry
{
    /// <summary>Builds a freshly initialised network of a spec's family (<paramref name="source"/> names the file in errors).</summary>
    public delegate Module Builder(ModelSpec spec, RandomStream rng, string source);

    private static readonly Dictionary<string, Builder> Builders = new(StringComparer.Ordinal)
    {
        [MrpnArchitecture.Family] = (spec, rng, source) => spec.ArchitectureAs<MrpnArchitecture>(source).Build(spec.Labels.Names.Count, rng, source),
        [AvefArchitecture.Family] = (spec, rng, source) => spec.ArchitectureAs<AvefArchitecture>(source).Build(spec.Labels.Names.Count, rng).Module,
        [DecisionFusionArchitecture.Family] = (spec, rng, source) => spec.ArchitectureAs<DecisionFusionArchitecture>(source).Build(rng, source),
        [ResNetArchitecture.Family] = (spec, rng, source) => spec.ArchitectureAs<ResNetArchitecture>(source).Build(spec.Labels.Names.Count, rng),
        [AudioCnnArchitecture.Family] = (spec, rng, source) => spec.ArchitectureAs<AudioCnnArchitecture>(source).Build(spec.Labels.Names.Count, rng, source),
    };

    /// <summary>Adds (or replaces) a family's builder.</summary>
    public static void Register(string family, Builder builder)
    {
        lock (Builders) Builders[family] = builder;
    }

    /// <summary>The families this build knows.</summary>
    public static IReadOnlyList<string> Families { get { lock (Builders) return Builders.Keys.Order(StringComparer.Ordinal).ToList(); } }

    /// <summary>The network <paramref name="spec"/> describes, initialised from <paramref name="rng"/>.</summary>
    public static Module Build(ModelSpec spec, RandomStream rng, string source = "model spec")
    {
        Builder? builder;
        lock (Builders) Builders.TryGetValue(spec.Family, out builder);
        if (builder is null) throw new InvalidDataException($"{source}: model family '{spec.Family}' is not one this build knows ({string.Join(", ", Families)})");
        return builder(spec, rng, source);
    }

    /// <summary>
    /// Builds the network of <paramref name="spec"/> and loads <paramref name="tensors"/> into it strictly;
    /// a missing, unexpected or mis-shaped tensor is an <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    public static Module Load(ModelSpec spec, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        var network = Build(spec, new RandomStream(0), source);  // the seed only fills weights the file overwrites
        try { network.LoadStateDict(tensors, strict: true, source); }
        catch (StateDictException e)
        { throw new InvalidDataException($"{source}: its tensors do not fit the {spec.Family} network its spec describes ({e.Message})", e); }
        network.Eval();
        return network;
    }
}
