using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Media;
using Aver.Tensors;
using Aver.Training.Data;

namespace Aver.Training.Pretraining;

/// <summary>
/// Face images of a catalog (FER2013's 48x48 grayscale JPEGs) decoded once into memory as
/// [N, 1, H, W] tensors standardised by the training images' mean and deviation, with random
/// horizontal flips and small shifts as training augmentation.
/// </summary>
public static class FaceImageSet
{
    /// <summary>Mean and standard deviation used to standardise pixels in [0, 1].</summary>
    /// <summary>Decodes <paramref name="items"/> (all the same size) into [N, 1, H, W] pixels in [0, 1].</summary>
    public static Tensor Decode(IReadOnlyList<CatalogItem> items, int parallelism = 2)
    {
        if (items.Count == 0) throw new ArgumentException("FaceImageSet: no images");
        var images = ImageDecoder.LoadMany(items.Select(i => i.Path).ToList(), ImageColor.Gray, parallelism: parallelism);
        int h = images[0].Height, w = images[0].Width;
        var x = new Tensor(images.Length, 1, h, w);
        for (int i = 0; i < images.Length; i++)
        {
            var img = images[i];
            if (img.Width != w || img.Height != h)
                throw new InvalidDataException($"{items[i].Path}: image is {img.Width}x{img.Height}, expected {w}x{h} like the others");
            var dst = x.Data.AsSpan(i * h * w, h * w);
            for (int k = 0; k < dst.Length; k++) dst[k] = img.Data[k] * (1f / 255);
        }
        return x;
    }

    /// <summary>An example set over standardised pixels with <paramref name="augment"/> on training batches (null: none).</summary>
    public static TensorExampleSet Create(Tensor pixels, IReadOnlyList<CatalogItem> items, LabelSpace space, Func<Tensor, RandomStream, Tensor>? augment) =>
        new(pixels, items.Select(i => i.Label.Index).ToArray(), space, augment);
}
