using Aver.Tensors;

namespace Aver.Training.Data;

/// <summary>How an example set cuts a list of indices into batches: optionally shuffled, last batch possibly short.</summary>
public static class BatchOrder
{
    /// <summary>The indices in batch order, each chunk at most <paramref name="batchSize"/> long.</summary>
    public static IEnumerable<int[]> Chunks(IReadOnlyList<int> indices, int batchSize, RandomStream? shuffle)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch size must be at least 1");
        var order = indices.ToArray();
        shuffle?.Shuffle<int>(order);
        for (int start = 0; start < order.Length; start += batchSize)
            yield return order.AsSpan(start, Math.Min(batchSize, order.Length - start)).ToArray();
    }

    /// <summary>Number of batches <see cref="Chunks"/> makes of <paramref name="count"/> indices.</summary>
    public static int Count(int count, int batchSize) => (count + batchSize - 1) / batchSize;

    /// <summary>Throws naming the set when an index is outside [0, <paramref name="count"/>).</summary>
    public static void CheckIndices(IReadOnlyList<int> indices, int count, string set)
    {
        foreach (int i in indices)
            if (i < 0 || i >= count) throw new ArgumentOutOfRangeException(nameof(indices), i, $"{set}: example {i} outside [0, {count})");
    }
}
