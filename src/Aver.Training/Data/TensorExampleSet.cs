using Aver.Data.Labels;
using Aver.Tensors;

namespace Aver.Training.Data;

/// <summary>
/// Examples held in memory as one tensor [N, ...] with a class index each: for tests, generated tasks,
/// and features computed ahead of time. An optional augmentation maps a batch [B, ...] to a batch of the
/// same shape using the given stream.
/// </summary>
public sealed class TensorExampleSet : IExampleSet<Tensor>
{
    private readonly int[] _labels;
    private readonly Func<Tensor, RandomStream, Tensor>? _augment;

    /// <param name="inputs">[N, ...] examples stacked along the first axis.</param>
    /// <param name="labels">N class indices in <paramref name="space"/>.</param>
    /// <param name="augment">Optional training-time augmentation of a batch.</param>
    public TensorExampleSet(Tensor inputs, IReadOnlyList<int> labels, LabelSpace space, Func<Tensor, RandomStream, Tensor>? augment = null)
    {
        if (inputs.Rank < 1 || inputs.Dim(0) != labels.Count)
            throw new ShapeException($"TensorExampleSet: inputs {ShapeMath.Format(inputs.Shape)} for {labels.Count} labels");
        for (int i = 0; i < labels.Count; i++)
            if (labels[i] < 0 || labels[i] >= space.Count)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"TensorExampleSet: label of example {i} outside space '{space.Name}' ({space.Count} classes)");
        Inputs = inputs;
        _labels = labels.ToArray();
        Labels = space;
        _augment = augment;
    }

    /// <summary>All examples, [N, ...].</summary>
    public Tensor Inputs { get; }

    public LabelSpace Labels { get; }
    public int Count => _labels.Length;
    public int LabelIndex(int index) => _labels[index];

    /// <summary>Every index, [0, Count).</summary>
    public int[] AllIndices() => Enumerable.Range(0, Count).ToArray();

    public IEnumerable<Batch<Tensor>> Batches(IReadOnlyList<int> indices, int batchSize, RandomStream? shuffle = null, RandomStream? augment = null)
    {
        BatchOrder.CheckIndices(indices, Count, nameof(TensorExampleSet));
        foreach (var chunk in BatchOrder.Chunks(indices, batchSize, shuffle))
        {
            var x = Inputs.IndexSelect(0, chunk);
            if (augment is not null && _augment is not null) x = _augment(x, augment);
            var targets = new int[chunk.Length];
            for (int i = 0; i < chunk.Length; i++) targets[i] = _labels[chunk[i]];
            yield return new Batch<Tensor>(x, targets, chunk);
        }
    }
}
