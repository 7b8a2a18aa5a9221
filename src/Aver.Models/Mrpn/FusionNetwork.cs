using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Mrpn;

/// <summary>The three fusion networks of MRPN §4.1.</summary>
public enum FusionVariant
{
    /// <summary>N0 (eq. 7): fusion component only, loss L_va.</summary>
    N0,
    /// <summary>N1 (eq. 8): plus a DenseUnit scoring each modality, loss L_v + L_a + L_va.</summary>
    N1,
    /// <summary>N2, MRPN (eq. 9): N1 with a Residual Perceptron in each branch before fusion.</summary>
    N2,
}

/// <summary>Class scores of a fusion network: the central s_va, and in training s_v, s_a for N1/N2.</summary>
public sealed record FusionScores(Tensor Fused, Tensor? Visual, Tensor? Audio);

/// <summary>
/// The fusion part of N0, N1 and N2 over temporal feature vectors f_v, f_a (MRPN eqs. 7-9):
/// f^_m = FeatureNorm(f_m); N1/N2 score each f^_m with a DenseUnit; N2 updates f'_m =
/// ResPerceptron(f^_m); s_va = FusionComponent(g_v, g_a). In evaluation only the central branch
/// runs (§4.1 observation 2).
/// </summary>
public sealed class FusionNetwork : Module
{
    private readonly BatchNorm1d _normV, _normA;
    private readonly Linear? _scoreV, _scoreA;
    private readonly ResidualPerceptron? _rpV, _rpA;

    public FusionVariant Variant { get; }
    public FusionComponent Fusion { get; }

    public FusionNetwork(FusionVariant variant, int visualSize, int audioSize, int hiddenSize, int classes, float dropout = 0.3f, RandomStream? rng = null)
    {
        Variant = variant;
        _normV = RegisterModule("norm_v", new BatchNorm1d(visualSize));
        _normA = RegisterModule("norm_a", new BatchNorm1d(audioSize));
        if (variant != FusionVariant.N0)
        {
            _scoreV = RegisterModule("score_v", new Linear(visualSize, classes, rng: rng));
            _scoreA = RegisterModule("score_a", new Linear(audioSize, classes, rng: rng));
        }
        if (variant == FusionVariant.N2)
        {
            _rpV = RegisterModule("rp_v", new ResidualPerceptron(visualSize, rng));
            _rpA = RegisterModule("rp_a", new ResidualPerceptron(audioSize, rng));
        }
        Fusion = RegisterModule("fusion", new FusionComponent(visualSize, audioSize, hiddenSize, classes, dropout, rng));
    }

    /// <summary>The inputs g_v, g_a of the fusion component: f^_m (N0, N1) or f'_m (N2).</summary>
    public (Tensor Gv, Tensor Ga, Tensor Fv, Tensor Fa) FusionInputs(Tensor fv, Tensor fa)
    {
        var nv = _normV.Forward(fv);
        var na = _normA.Forward(fa);
        return _rpV is null ? (nv, na, nv, na) : (_rpV.Forward(nv), _rpA!.Forward(na), nv, na);
    }

    /// <summary>Joint normalised features g_va [N, Dv + Da], for t-SNE plots (MRPN Figure 4).</summary>
    public Tensor JointFeatures(Tensor fv, Tensor fa)
    {
        var (gv, ga, _, _) = FusionInputs(fv, fa);
        return Fusion.Joint(gv, ga);
    }

    /// <param name="fv">Visual temporal features [N, Dv].</param>
    /// <param name="fa">Audio temporal features [N, Da].</param>
    public FusionScores Forward(Tensor fv, Tensor fa)
    {
        var (gv, ga, nv, na) = FusionInputs(fv, fa);
        var sva = Fusion.Forward(gv, ga);
        if (!Training || _scoreV is null) return new FusionScores(sva, null, null);
        return new FusionScores(sva, _scoreV.Forward(nv), _scoreA!.Forward(na));
    }
}
