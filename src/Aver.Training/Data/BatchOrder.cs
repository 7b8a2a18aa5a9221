using Aver.Tensors;

namespace Aver.Training.Data;

/// <summary>
/// How an example set cuts a list of indices into batches: optionally shuffled, the last batch possibly
/// short, but never a single example after a full batch: that one joins the batch before it, since
/// batch normalisation cannot train on one example (PyTorch users reach for drop_last instead).
/// </summary>
public static class BatchOrder
{
    /// <summary>The indices in batch order, each chunk at most <paramref name="batchSize"/> long.</summary>
    public static IEnumerable<int[]> Chunks(IReadOnlyList<int> indices, int batchSize, RandomStream? shuffle)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch size must be at least 1");
        var order = indices.ToArray();
        shuffle?.Shuffle<int>(order);
        int batches = Count(order.Length, batchSize);
        for (int b = 0, start = 0; b < batches; b++, start += batchSize)
        {
            int length = b == batches - 1 ? order.Length - start : batchSize;
            yield return order.AsSpan(start, length).ToArray();
        }
    }

    /// <summary>Number of batches <see cref="Chunks"/> makes of <paramref name="count"/> indices.</summary>
    public static int Count(int count, int batchSize) =>
        count > batchSize && count % batchSize == 1 ? count / batchSize : (count + batchSize - 1) / batchSize;

    /// <summary>Throws naming the set when an index is outside [0, <paramref name="count"/>).</summary>
    public static void CheckIndices(IReadOnlyList<int> indices, int count, string set)
    {
        foreach (int i in indices)
            if (i < 0 || i >= count) throw new ArgumentOutOfRangeException(nameof(indices), i, $"{set}: example {i} outside [0, {count})");
    }
}
