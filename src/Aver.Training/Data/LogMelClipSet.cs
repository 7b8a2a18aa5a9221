using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Tensors;

namespace Aver.Training.Data;

/// <summary>
/// Clips of a catalog as log-mel crops for a compact CNN (<see cref="LogMelPipeline"/>): batches are
/// [N, K, 1, mels, crop frames], K = 1 random crop per clip when augmenting (training), else the K
/// evaluation crops whose logits the network averages. The crops are not band-standardised; the task does
/// that with its fold's statistics.
/// </summary>
public sealed class LogMelClipSet(IReadOnlyList<CatalogItem> items, LabelSpace labels, LogMelPipeline pipeline)
    : ClipSet<Tensor, Tensor>(items, labels)
{
    public LogMelPipeline Pipeline { get; } = pipeline;

    /// <summary>Computes every clip's image once, in parallel, reporting <c>(done, total)</c> now and then.</summary>
    public void Prepare(Action<int, int>? progress = null)
    {
        int done = 0;
        Engine.For(Count, i =>
        {
            Pipeline.Image(Items[i]);
            int d = Interlocked.Increment(ref done);
            if (d % 200 == 0 || d == Count) progress?.Invoke(d, Count);
        });
    }

    protected override Tensor Clip(CatalogItem item, RandomStream? augment) => Pipeline.Crops(Pipeline.Image(item), augment);

    protected override Tensor Collate(Tensor[] clips)
    {
        var first = clips[0];
        var batch = new Tensor([clips.Length, .. first.Shape]);
        for (int i = 0; i < clips.Length; i++) clips[i].Data.CopyTo(batch.Data, (long)i * first.Size);
        return batch;
    }
}
