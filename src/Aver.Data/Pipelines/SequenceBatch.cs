using Aver.Tensors;

namespace Aver.Data.Pipelines;

/// <summary>Variable-length sequences padded into one batch: [N, Tmax, ...] with each sequence's valid length.</summary>
public sealed record SequenceBatch(Tensor Steps, int[] Lengths)
{
    /// <summary>
    /// Stacks sequences [T_i, ...] (same step shape) into [N, max T_i, ...], zero-padded at the end.
    /// </summary>
    public static SequenceBatch Pad(IReadOnlyList<Tensor> sequences)
    {
        if (sequences.Count == 0) throw new ArgumentException("SequenceBatch.Pad: no sequences");
        var step = sequences[0].Shape[1..].ToArray();
        int stepSize = ShapeMath.Size(step), maxT = 0;
        foreach (var s in sequences)
        {
            if (s.Rank < 1 || !s.Shape[1..].SequenceEqual(step))
                throw new ShapeException($"SequenceBatch.Pad: sequence {ShapeMath.Format(s.Shape)} does not have steps of shape {ShapeMath.Format(step)}");
            maxT = Math.Max(maxT, s.Dim(0));
        }
        var steps = new Tensor([sequences.Count, maxT, .. step]);
        var lengths = new int[sequences.Count];
        for (int i = 0; i < sequences.Count; i++)
        {
            lengths[i] = sequences[i].Dim(0);
            sequences[i].Data.CopyTo(steps.Data, (long)i * maxT * stepSize);
        }
        return new SequenceBatch(steps, lengths);
    }
}
