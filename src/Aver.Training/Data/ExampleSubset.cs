namespace Aver.Training.Data;

/// <summary>Some examples of a set: a fold's training, validation or test side.</summary>
public sealed record ExampleSubset<TInput>(IExampleSet<TInput> Set, IReadOnlyList<int> Indices)
{
    /// <summary>Every example of <paramref name="set"/>.</summary>
    public static ExampleSubset<TInput> All(IExampleSet<TInput> set) => new(set, Enumerable.Range(0, set.Count).ToArray());

    public int Count => Indices.Count;
}
