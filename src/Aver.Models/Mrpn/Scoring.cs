using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Mrpn;

/// <summary>
/// MRPN's Scoring component (eq. 2): DenseUnit -> ReLU -> FeatureNorm (batch norm) -> DenseUnit,
/// with Dropout before the last DenseUnit (active in training only, §4.1 item 4).
/// </summary>
public sealed class Scoring : Module
{
    private readonly Linear _dense1, _dense2;
    private readonly BatchNorm1d _norm;
    private readonly Dropout _dropout;

    public Scoring(int inputSize, int hiddenSize, int classes, float dropout = 0.3f, RandomStream? rng = null)
    {
        _dense1 = RegisterModule("dense1", new Linear(inputSize, hiddenSize, rng: rng));
        _norm = RegisterModule("norm", new BatchNorm1d(hiddenSize));
        _dropout = RegisterModule("dropout", new Dropout(dropout, rng?.Fork("dropout")));
        _dense2 = RegisterModule("dense2", new Linear(hiddenSize, classes, rng: rng));
    }

    /// <summary>[N, inputSize] -> class scores [N, classes].</summary>
    public override Tensor Forward(Tensor f) => _dense2.Forward(_dropout.Forward(_norm.Forward(_dense1.Forward(f).Relu())));
}
