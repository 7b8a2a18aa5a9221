using Aver.Features.Augmentation;
using Aver.Tensors;

namespace Aver.Training.Pretraining;

/// <summary>
/// Training augmentation of standardised face images [N, C, H, W] for FER2013 (issue 16): a random
/// resized crop with translation (zoom and shift of <see cref="SpatialTransform"/>, edge pixels repeated
/// outside the frame), a horizontal flip, a small rotation, then random erasing (Zhong et al. 2020,
/// "Random Erasing Data Augmentation", Alg. 1). Brightness and contrast stay off: the images are already
/// standardised. Every sample draws from its own stream, forked by its position from one draw of the batch stream,
/// so a batch is the same whatever the thread count and a resumed epoch draws what the uninterrupted one did.
/// </summary>
/// <param name="Spatial">Zoom, shift, flip and rotation ranges (brightness and contrast are ignored).</param>
/// <param name="ErasingProbability">Probability that a sample gets one erased rectangle (Zhong et al.: 0.5).</param>
/// <param name="ErasingAreaMin">Smallest area of the rectangle as a fraction of the image (Zhong et al.: 0.02).</param>
/// <param name="ErasingAreaMax">Largest area of the rectangle as a fraction of the image (Zhong et al.: 0.4).</param>
/// <param name="ErasingAspect">Lower bound r of the aspect ratio, drawn log-uniformly from [r, 1/r] (Zhong et al.: 0.3).</param>
public sealed record FaceAugmentation(SpatialAugmentationOptions Spatial, double ErasingProbability = 0,
    double ErasingAreaMin = 0.02, double ErasingAreaMax = 0.4, double ErasingAspect = 0.3)
{
    /// <summary>
    /// `aver pretrain --augment flip-shift` (the first default model's recipe): a flip with probability 1/2 and a shift of up
    /// to 4 px of a 48-px face either way, nothing else. Since 2026-12-05 the shift is drawn continuously (bilinear, edge
    /// pixels repeated) by the same code as the recipe's, where it was whole pixels with zero fill.
    /// </summary>
    public static FaceAugmentation FlipShift { get; } =
        new(new SpatialAugmentationOptions { MaxScale = 0, MaxShift = 4.0 / 48, MaxRotationDegrees = 0, MaxBrightness = 0, MaxContrast = 0 });

    /// <summary>The recipe's default strength: zoom ±10 %, shift ±8 %, flip 1/2, rotation ±10°, erasing 1/2.</summary>
    public static FaceAugmentation Recipe { get; } = new(new SpatialAugmentationOptions { MaxBrightness = 0, MaxContrast = 0 }, 0.5);

    /// <summary>A new augmented batch of the same shape as <paramref name="batch"/> [N, C, H, W].</summary>
    public Tensor Apply(Tensor batch, RandomStream rng)
    {
        if (batch.Rank != 4) throw new ShapeException($"FaceAugmentation: batch {ShapeMath.Format(batch.Shape)} must be [N, C, H, W]");
        if (!(ErasingProbability is >= 0 and <= 1)) throw new ArgumentException($"FaceAugmentation: erasing probability must be in [0, 1], got {ErasingProbability}");
        int n = batch.Dim(0), c = batch.Dim(1), h = batch.Dim(2), w = batch.Dim(3), size = c * h * w;
        var spatial = Spatial with { MaxBrightness = 0, MaxContrast = 0 };
        var output = new Tensor(n, c, h, w);
        var src = batch.Data;
        // One draw from the batch stream (forks depend on the seed only, not on what was drawn), then a stream per sample.
        var batchRng = new RandomStream(rng.NextULong());
        Engine.For(n, i =>
        {
            var sample = batchRng.Fork("sample", i);
            var dst = output.Data.AsSpan(i * size, size);
            SpatialTransform.Sample(spatial, sample).Apply(src.AsSpan(i * size, size), dst, c, h, w);
            if (sample.NextDouble() < ErasingProbability) Erase(dst, c, h, w, sample);
        });
        return output;
    }

    /// <summary>
    /// Random erasing (Zhong et al. 2020, Alg. 1): a rectangle of area S_e ~ U(area min, area max) of the
    /// image and aspect r_e ~ log-U(r, 1/r), retried until it fits (at most 10 tries, as torchvision), filled
    /// with standard-normal noise (the images are standardised, so that is the data's own scale).
    /// </summary>
    public void Erase(Span<float> image, int channels, int height, int width, RandomStream rng)
    {
        double logMin = Math.Log(ErasingAspect), logMax = -logMin;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double area = height * width * (ErasingAreaMin + (ErasingAreaMax - ErasingAreaMin) * rng.NextDouble());
            double aspect = Math.Exp(logMin + (logMax - logMin) * rng.NextDouble());
            int eh = (int)Math.Round(Math.Sqrt(area * aspect)), ew = (int)Math.Round(Math.Sqrt(area / aspect));
            if (eh < 1 || ew < 1 || eh >= height || ew >= width) continue;
            int top = rng.NextInt(height - eh + 1), left = rng.NextInt(width - ew + 1);
            for (int ch = 0; ch < channels; ch++)
                for (int y = top; y < top + eh; y++)
                {
                    var row = image.Slice((ch * height + y) * width + left, ew);
                    for (int x = 0; x < row.Length; x++) row[x] = (float)rng.NextNormal();
                }
            return;
        }
    }
}
