using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Mrpn;

/// <summary>
/// LSTM aggregation: the last layer's final hidden state at each sequence's own last valid step
/// (both directions concatenated for a BiLSTM).
/// </summary>
public sealed class LstmAggregator : SequenceAggregator
{
    private readonly LSTM _lstm;

    public LstmAggregator(int inputSize, int hiddenSize, int layers = 1, bool bidirectional = false, RandomStream? rng = null)
    {
        _lstm = RegisterModule("lstm", new LSTM(inputSize, hiddenSize, layers, bidirectional, rng: rng));
    }

    public override int OutputSize => _lstm.HiddenSize * _lstm.Directions;

    public override Tensor Aggregate(Tensor sequence, int[]? lengths)
    {
        var h = _lstm.Forward(sequence, lengths).H; // [layers * D, N, H]
        int d = _lstm.Directions;
        var last = h.Narrow(0, h.Dim(0) - d, d);    // [D, N, H] of the last layer
        return last.Permute(1, 0, 2).Reshape(sequence.Dim(0), OutputSize);
    }
}
