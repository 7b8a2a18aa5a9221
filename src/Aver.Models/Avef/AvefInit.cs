using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Avef;

/// <summary>Re-initialisation used by transfer across corpora (§2.2) and by the DBN.</summary>
internal static class AvefInit
{
    /// <summary>PyTorch's default Linear init, U(±1/sqrt(in)) for weight and bias, drawn from <paramref name="rng"/>.</summary>
    public static void ResetLinear(Linear fc, RandomStream rng)
    {
        Init.DefaultWeight(fc.Weight, fc.InFeatures, rng);
        if (fc.Bias is not null) Init.DefaultWeight(fc.Bias, fc.InFeatures, rng);
    }
}
