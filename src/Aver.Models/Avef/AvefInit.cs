using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;

namespace Aver.Models.Avef;

/// <summary>Re-initialisation and weight copying used by transfer across corpora (§2.2) and by the DBN.</summary>
internal static class AvefInit
{
    /// <summary>PyTorch's default Linear init, U(±1/sqrt(in)) for weight and bias, drawn from <paramref name="rng"/>.</summary>
    public static void ResetLinear(Linear fc, RandomStream rng)
    {
        Init.DefaultWeight(fc.Weight, fc.InFeatures, rng);
        if (fc.Bias is not null) Init.DefaultWeight(fc.Bias, fc.InFeatures, rng);
    }

    /// <summary>
    /// Copies into <paramref name="root"/> the state of its <paramref name="shallow"/> sub-modules (the
    /// convolutional trunks kept by transfer) from the safetensors at <paramref name="path"/>, matched by
    /// the names <paramref name="root"/> gives them; a missing or mis-shaped tensor is an error naming the file.
    /// </summary>
    public static void LoadShallow(Module root, IEnumerable<Module> shallow, string path)
    {
        var source = SafeTensors.Load(path).Tensors;
        var tensors = new HashSet<Tensor>(shallow.SelectMany(m => m.StateDict()).Select(kv => kv.Value), ReferenceEqualityComparer.Instance);
        var keys = root.StateDict().Where(kv => tensors.Contains(kv.Value)).Select(kv => kv.Key).ToList();
        var missing = keys.Where(k => !source.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new StateDictException($"{path}: not an AVEF model with these trunks, missing {string.Join(", ", missing)}");
        root.LoadStateDict(keys.ToDictionary(k => k, k => source[k]), strict: false, path); // throws on mis-shaped tensors
    }
}
