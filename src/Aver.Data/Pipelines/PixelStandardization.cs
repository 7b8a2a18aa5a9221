using System.Numerics.Tensors;

namespace Aver.Data.Pipelines;

/// <summary>
/// Face pixels as a network takes them: 8-bit grey levels scaled to [0, 1], then standardised by the training images'
/// statistics, (x / 255 − Mean) / Std. One formula for training (FER pre-training, MRPN's video pipeline) and prediction.
/// </summary>
public readonly record struct PixelStandardization(float Mean, float Std)
{
    /// <summary>8-bit pixels into standardised floats (<paramref name="destination"/> as long as <paramref name="pixels"/>).</summary>
    public void Apply(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        float scale = 1f / (255f * Std), shift = -Mean / Std;
        var dst = destination[..pixels.Length];
        for (int k = 0; k < dst.Length; k++) dst[k] = pixels[k] * scale + shift;
    }

    /// <summary>Pixels already scaled to [0, 1], standardised in place.</summary>
    public void ApplyInPlace(Span<float> unitPixels)
    {
        TensorPrimitives.Subtract(unitPixels, Mean, unitPixels);
        TensorPrimitives.Multiply(unitPixels, 1f / Std, unitPixels);
    }

    /// <summary>The mean and standard deviation of pixels in [0, 1] (accumulated in double).</summary>
    public static PixelStandardization Measure(ReadOnlySpan<float> unitPixels)
    {
        double sum = 0, sq = 0;
        foreach (float v in unitPixels) { sum += v; sq += (double)v * v; }
        double mean = sum / unitPixels.Length;
        return new PixelStandardization((float)mean, (float)Math.Sqrt(Math.Max(sq / unitPixels.Length - mean * mean, 1e-12)));
    }
}
