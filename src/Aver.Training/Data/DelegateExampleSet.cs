using Aver.Data.Labels;
using Aver.Tensors;

namespace Aver.Training.Data;

/// <summary>
/// An example set whose batches a function assembles from example indices: the quickest way to put a
/// feature pipeline (or generated data) behind the seam. The function receives the batch's indices and
/// the augmentation stream (null when not augmenting) and returns the model's input.
/// </summary>
public sealed class DelegateExampleSet<TInput>(LabelSpace labels, IReadOnlyList<int> classes, Func<int[], RandomStream?, TInput> assemble)
    : IExampleSet<TInput>
{
    private readonly int[] _classes = classes.ToArray();

    public LabelSpace Labels { get; } = labels;
    public int Count => _classes.Length;
    public int LabelIndex(int index) => _classes[index];

    public IEnumerable<Batch<TInput>> Batches(IReadOnlyList<int> indices, int batchSize, RandomStream? shuffle = null, RandomStream? augment = null)
    {
        BatchOrder.CheckIndices(indices, Count, $"example set over {Labels.Name}");
        foreach (var chunk in BatchOrder.Chunks(indices, batchSize, shuffle))
            yield return new Batch<TInput>(assemble(chunk, augment), chunk.Select(i => _classes[i]).ToArray(), chunk);
    }
}
