using Aver.Data.Labels;
using Aver.Tensors;

namespace Aver.Training.Data;

/// <summary>
/// The seam between the data pipelines (spectrogram segments, face crops, ...) and training: a numbered
/// collection of labelled examples that turns any subset of its indices into model-specific batches.
/// The trainer never sees files or clips, only indices, labels and batches.
/// </summary>
/// <typeparam name="TInput">The input type the task's model consumes.</typeparam>
public interface IExampleSet<TInput>
{
    /// <summary>The label space every target index refers to.</summary>
    LabelSpace Labels { get; }

    /// <summary>Number of examples; valid indices are [0, Count).</summary>
    int Count { get; }

    /// <summary>The class index (in <see cref="Labels"/>) of example <paramref name="index"/>.</summary>
    int LabelIndex(int index);

    /// <summary>
    /// The examples <paramref name="indices"/> as batches of at most <paramref name="batchSize"/>, in order, or
    /// shuffled by <paramref name="shuffle"/> when given. <paramref name="augment"/>, when given, is the stream
    /// random augmentation draws from (training); null means no augmentation (evaluation, or augmentation off).
    /// </summary>
    IEnumerable<Batch<TInput>> Batches(IReadOnlyList<int> indices, int batchSize, RandomStream? shuffle = null, RandomStream? augment = null);
}

/// <summary>Conveniences over any <see cref="IExampleSet{TInput}"/>.</summary>
public static class ExampleSets
{
    /// <summary>The label of example <paramref name="index"/>, with its space.</summary>
    public static Label LabelOf<TInput>(this IExampleSet<TInput> set, int index) => set.Labels[set.LabelIndex(index)];
}
