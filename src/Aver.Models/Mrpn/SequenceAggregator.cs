using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Mrpn;

/// <summary>The aggregators MRPN compares (§5.3, §5.6): LSTM, bidirectional LSTM, Transformer (averaged outputs).</summary>
public enum AggregatorKind { Lstm, BiLstm, Transformer }

/// <summary>
/// A_m of MRPN eq. 1: turns a feature sequence [N, T, F] (with per-sequence valid lengths) into one
/// temporal feature vector f_m [N, OutputSize].
/// </summary>
public abstract class SequenceAggregator : Module
{
    public abstract int OutputSize { get; }

    /// <param name="sequence">[N, T, F].</param>
    /// <param name="lengths">Valid steps of each sequence, or null when all have T.</param>
    public abstract Tensor Aggregate(Tensor sequence, int[]? lengths);

    public override Tensor Forward(Tensor input) => Aggregate(input, null);

    public static SequenceAggregator Create(AggregatorKind kind, int inputSize, int hiddenSize, int layers = 1, int heads = 4, float dropout = 0.1f, RandomStream? rng = null) => kind switch
    {
        AggregatorKind.Lstm => new LstmAggregator(inputSize, hiddenSize, layers, bidirectional: false, rng),
        AggregatorKind.BiLstm => new LstmAggregator(inputSize, hiddenSize, layers, bidirectional: true, rng),
        AggregatorKind.Transformer => new TransformerAggregator(inputSize, hiddenSize, heads, layers, dropout, rng),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown aggregator"),
    };
}
