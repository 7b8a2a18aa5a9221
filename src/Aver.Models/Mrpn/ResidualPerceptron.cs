using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Mrpn;

/// <summary>
/// MRPN's within-modality Residual Perceptron (eq. 6): f' = f^ + FeatureNorm(Sigmoid(DenseUnit(f^))).
/// The sigmoid bounds the affine residual (§4.1 observation 6); batch norm is the FeatureNorm.
/// </summary>
public sealed class ResidualPerceptron : Module
{
    public Linear Dense { get; }
    public BatchNorm1d Norm { get; }

    public ResidualPerceptron(int size, RandomStream? rng = null)
    {
        Dense = RegisterModule("dense", new Linear(size, size, rng: rng));
        Norm = RegisterModule("norm", new BatchNorm1d(size));
    }

    /// <summary>f^ [N, size] -> f' [N, size].</summary>
    public override Tensor Forward(Tensor normalized) => normalized + Norm.Forward(Dense.Forward(normalized).Sigmoid());
}
