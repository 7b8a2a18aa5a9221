using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Tensors;

namespace Aver.Training.Data;

/// <summary>
/// Clips of a catalog as examples: a batch's clips are turned into inputs in parallel (each clip
/// drawing from its own augmentation stream, forked by example index, so the result does not depend
/// on thread timing) and then collated into the model's batch input. Subclasses say what one clip
/// becomes (<see cref="Clip"/>) and how clips are stacked (<see cref="Collate"/>).
/// </summary>
/// <typeparam name="TClip">One clip's input (a tensor sequence, a pair of them).</typeparam>
/// <typeparam name="TInput">The batch input the task consumes.</typeparam>
public abstract class ClipSet<TClip, TInput>(IReadOnlyList<CatalogItem> items, LabelSpace labels) : IExampleSet<TInput>
{
    public LabelSpace Labels { get; } = labels;
    public int Count => items.Count;
    public IReadOnlyList<CatalogItem> Items => items;
    public int LabelIndex(int index) => items[index].Label.Index;

    /// <summary>The input of <paramref name="item"/>; <paramref name="augment"/> (the clip's own stream) is null when not augmenting.</summary>
    protected abstract TClip Clip(CatalogItem item, RandomStream? augment);

    /// <summary>Stacks the clips of a batch.</summary>
    protected abstract TInput Collate(TClip[] clips);

    /// <summary>Runs before a batch's clips are made, one clip at a time (e.g. face detection, which parallelises inside).</summary>
    protected virtual void Prepare(CatalogItem item) { }

    public IEnumerable<Batch<TInput>> Batches(IReadOnlyList<int> indices, int batchSize, RandomStream? shuffle = null, RandomStream? augment = null)
    {
        BatchOrder.CheckIndices(indices, Count, GetType().Name);
        foreach (var chunk in BatchOrder.Chunks(indices, batchSize, shuffle))
        {
            foreach (int i in chunk) Prepare(items[i]);
            var clips = new TClip[chunk.Length];
            Engine.For(chunk.Length, i => clips[i] = Clip(items[chunk[i]], augment?.Fork("clip", chunk[i])));
            var targets = new int[chunk.Length];
            for (int i = 0; i < chunk.Length; i++) targets[i] = LabelIndex(chunk[i]);
            yield return new Batch<TInput>(Collate(clips), targets, chunk);
        }
    }
}
