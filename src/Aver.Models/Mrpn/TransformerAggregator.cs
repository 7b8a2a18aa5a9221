using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Mrpn;

/// <summary>
/// Transformer aggregation (MRPN §5.6, after ViT): project the features to d_model, run a
/// Transformer encoder with padded steps masked, and average its outputs over the valid steps.
/// </summary>
public sealed class TransformerAggregator : SequenceAggregator
{
    private readonly Linear _project;
    private readonly TransformerEncoder _encoder;
    private readonly int _dModel;

    public TransformerAggregator(int inputSize, int dModel, int heads = 4, int layers = 1, float dropout = 0.1f, RandomStream? rng = null)
    {
        _dModel = dModel;
        _project = RegisterModule("project", new Linear(inputSize, dModel, rng: rng));
        _encoder = RegisterModule("encoder", new TransformerEncoder(layers,
            _ => new TransformerEncoderLayer(dModel, heads, dimFeedforward: 2 * dModel, dropout: dropout, rng: rng)));
    }

    public override int OutputSize => _dModel;

    public override Tensor Aggregate(Tensor sequence, int[]? lengths)
    {
        int n = sequence.Dim(0), t = sequence.Dim(1);
        var mask = lengths is null ? null : MultiheadAttention.PaddingMask(lengths, t);
        var y = _encoder.Forward(_project.Forward(sequence), mask); // [N, T, d]
        if (lengths is null) return y.Mean(1);
        var valid = new Tensor(n, t, 1);
        var inverse = new Tensor(n, 1);
        for (int i = 0; i < n; i++)
        {
            for (int s = 0; s < lengths[i]; s++) valid[i, s, 0] = 1f;
            inverse[i, 0] = 1f / Math.Max(lengths[i], 1);
        }
        return y.Mul(valid).Sum(1).Mul(inverse);
    }
}
