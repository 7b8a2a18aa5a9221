using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Mrpn;

/// <summary>
/// MRPN's FusionComponent (eqs. 3-4): g_va = FeatureNorm(Concatenate(g_v, g_a)), s_va = Scoring(g_va).
/// Identical in N0, N1 and N2 (§4.1 observation 5).
/// </summary>
public sealed class FusionComponent : Module
{
    private readonly BatchNorm1d _norm;
    private readonly Scoring _scoring;

    public FusionComponent(int visualSize, int audioSize, int hiddenSize, int classes, float dropout, RandomStream? rng = null)
    {
        _norm = RegisterModule("norm", new BatchNorm1d(visualSize + audioSize));
        _scoring = RegisterModule("scoring", new Scoring(visualSize + audioSize, hiddenSize, classes, dropout, rng));
    }

    /// <summary>The normalised joint feature g_va [N, Dv + Da] (the fused features of MRPN Figure 4).</summary>
    public Tensor Joint(Tensor gv, Tensor ga) => _norm.Forward(Tensor.Concat([gv, ga], 1));

    /// <summary>Class scores s_va [N, classes].</summary>
    public Tensor Forward(Tensor gv, Tensor ga) => _scoring.Forward(Joint(gv, ga));
}
