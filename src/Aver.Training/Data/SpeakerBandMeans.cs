using Aver.Data.Catalogs;
using Aver.Tensors;

namespace Aver.Training.Data;

/// <summary>
/// Each speaker's mean log-mel value per band, over all frames of all that speaker's clips (labels unused, so the test
/// speakers' own clips give theirs without leaking anything across folds): per-speaker normalisation in the log-mel
/// domain (<see cref="Aver.Features.LogMel.LogMelOptions.SpeakerNorm"/>). A clip without a speaker is its own speaker.
/// </summary>
public sealed class SpeakerBandMeans
{
    private readonly Dictionary<string, float[]> _means;

    private SpeakerBandMeans(Dictionary<string, float[]> means) => _means = means;

    /// <summary>The means of <paramref name="items"/>' speakers, from their images [mels, frames].</summary>
    public static SpeakerBandMeans Of(IReadOnlyList<CatalogItem> items, Func<CatalogItem, Tensor> image)
    {
        var sums = new Dictionary<string, (double[] Sum, long Frames)>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var x = image(item);
            int mels = x.Dim(0), frames = x.Dim(1);
            string key = Key(item);
            if (!sums.TryGetValue(key, out var acc)) sums[key] = acc = (new double[mels], 0);
            for (int m = 0; m < mels; m++) acc.Sum[m] += System.Numerics.Tensors.TensorPrimitives.Sum(x.Data.AsSpan(m * frames, frames));
            sums[key] = (acc.Sum, acc.Frames + frames);
        }
        var means = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (key, (sum, frames)) in sums) means[key] = Array.ConvertAll(sum, s => (float)(s / frames));
        return new SpeakerBandMeans(means);
    }

    /// <summary>Speakers with means.</summary>
    public int Count => _means.Count;

    /// <summary>The band means of <paramref name="item"/>'s speaker.</summary>
    public ReadOnlySpan<float> Of(CatalogItem item) => _means[Key(item)];

    /// <summary>Subtracts the item's speaker means from <paramref name="images"/> in place: any shape ending in [mels, frames].</summary>
    public void Subtract(CatalogItem item, Tensor images)
    {
        var mean = _means[Key(item)];
        int mels = mean.Length, frames = images.Dim(images.Rank - 1);
        var data = images.Data.AsSpan(0, images.Size);
        for (int offset = 0; offset < data.Length; offset += mels * frames)
            for (int m = 0; m < mels; m++)
            {
                var row = data.Slice(offset + m * frames, frames);
                System.Numerics.Tensors.TensorPrimitives.Subtract(row, mean[m], row);
            }
    }

    private static string Key(CatalogItem item) => item.Speaker ?? "\0" + item.Path;
}
