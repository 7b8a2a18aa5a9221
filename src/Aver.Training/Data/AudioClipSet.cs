using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Tensors;
using Aver.Training.Tasks;

namespace Aver.Training.Data;

/// <summary>
/// Clips of a catalog as MRPN audio inputs: each example is a clip's sequence of spectrogram
/// segments (<see cref="MrpnAudioPipeline"/>), batched as [N, S, 1, H, W] with per-clip lengths.
/// With an augmentation stream, each clip is cut to a random slice of at least 1 s first (MRPN
/// time augmentation); each clip draws from its own stream forked by example index, so segments
/// are computed in parallel and the result does not depend on thread timing.
/// </summary>
public sealed class AudioClipSet(IReadOnlyList<CatalogItem> items, LabelSpace labels, MrpnAudioPipeline pipeline) : IExampleSet<StepSequence>
{
    public LabelSpace Labels { get; } = labels;
    public int Count => items.Count;
    public IReadOnlyList<CatalogItem> Items => items;
    public int LabelIndex(int index) => items[index].Label.Index;

    public IEnumerable<Batch<StepSequence>> Batches(IReadOnlyList<int> indices, int batchSize, RandomStream? shuffle = null, RandomStream? augment = null)
    {
        BatchOrder.CheckIndices(indices, Count, nameof(AudioClipSet));
        foreach (var chunk in BatchOrder.Chunks(indices, batchSize, shuffle))
        {
            var clips = new Tensor[chunk.Length];
            Engine.For(chunk.Length, i => clips[i] = pipeline.Segments(items[chunk[i]], augment?.Fork("clip", chunk[i])).Spectrograms);
            var padded = SequenceBatch.Pad(clips);
            var targets = new int[chunk.Length];
            for (int i = 0; i < chunk.Length; i++) targets[i] = LabelIndex(chunk[i]);
            yield return new Batch<StepSequence>(new StepSequence(padded.Steps, padded.Lengths), targets, chunk);
        }
    }
}
