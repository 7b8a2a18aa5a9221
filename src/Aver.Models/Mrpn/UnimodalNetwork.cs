using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Mrpn;

/// <summary>
/// A single-modality network, AM or VM of MRPN Table 1: f_m = A_m(F_m(x_m)), then
/// s_m = Scoring(FeatureNorm(f_m)) (eq. 3). Late fusion trains these first, then freezes their
/// branches inside an <see cref="MrpnNetwork"/>.
/// </summary>
public sealed class UnimodalNetwork : Module
{
    public ModalityBranch Branch { get; }
    private readonly BatchNorm1d _norm;
    private readonly Scoring _scoring;

    public UnimodalNetwork(ModalityBranch branch, int hiddenSize, int classes, float dropout = 0.3f, RandomStream? rng = null)
    {
        Branch = RegisterModule("branch", branch);
        _norm = RegisterModule("norm", new BatchNorm1d(branch.OutputSize));
        _scoring = RegisterModule("scoring", new Scoring(branch.OutputSize, hiddenSize, classes, dropout, rng));
    }

    /// <summary>Normalised temporal features f^_m [N, D] (for t-SNE plots).</summary>
    public Tensor Features(Tensor steps, int[]? lengths) => _norm.Forward(Branch.Forward(steps, lengths));

    /// <summary>
    /// Class scores [N, classes] from per-step extractor features [N, T, D] (zeros at padded steps, as
    /// <see cref="ModalityBranch.StepFeatures"/> gives): prediction extracts each step once and reuses its
    /// features in every overlapping timeline window.
    /// </summary>
    public Tensor ScoresFromStepFeatures(Tensor features, int[]? lengths) => _scoring.Forward(_norm.Forward(Branch.Aggregator.Aggregate(features, lengths)));

    /// <summary>Class scores [N, classes] of steps [N, T, C, H, W].</summary>
    public Tensor Forward(Tensor steps, int[]? lengths) => _scoring.Forward(Features(steps, lengths));

    public override Tensor Forward(Tensor steps) => Forward(steps, null);
}
