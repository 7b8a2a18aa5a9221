namespace Aver.Training.Data;

/// <summary>
/// A model-specific batch of examples: the model's input (a tensor, an <c>AudioVisualBatch</c>, ...),
/// the class index of every example in the set's label space, and which examples of the set they are.
/// </summary>
/// <typeparam name="TInput">What the model's task consumes.</typeparam>
public sealed record Batch<TInput>(TInput Input, int[] Targets, int[] Indices)
{
    /// <summary>Number of examples in the batch.</summary>
    public int Count => Targets.Length;
}
