using Aver.Tensors;

namespace Aver.Features.Spectral;

/// <summary>
/// Regression deltas along time (AVEF eq. 2.2, from [37]):
/// d_t = sum_{n=1..N} n (c_{t+n} - c_{t-n}) / (2 sum_{n=1..N} n^2), with the first and last frames
/// repeated beyond the ends. Equals torchaudio.functional.compute_deltas(x, win_length = 2N + 1,
/// mode = "replicate") on the transposed layout: Aver's features are time-major [T, F].
/// </summary>
public static class Deltas
{
    /// <summary>Deltas of <paramref name="features"/> [T, F] along T; same shape. <paramref name="n"/> = 2 is AVEF's N (win_length 5).</summary>
    public static Tensor Compute(Tensor features, int n = 2)
    {
        if (features.Rank != 2) throw new ShapeException($"Deltas: features {ShapeMath.Format(features.Shape)} must be [time, features]");
        var output = new Tensor(features.Dim(0), features.Dim(1));
        Compute(features.Data, output.Data, features.Dim(0), features.Dim(1), n);
        return output;
    }

    /// <summary>The same on raw row-major [frames, width] spans.</summary>
    public static void Compute(ReadOnlySpan<float> x, Span<float> d, int frames, int width, int n = 2)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Deltas: N must be at least 1");
        float denom = n * (n + 1) * (2 * n + 1) / 3f; // 2 sum n^2
        for (int t = 0; t < frames; t++)
        {
            var dt = d.Slice(t * width, width);
            dt.Clear();
            for (int k = 1; k <= n; k++)
            {
                var next = x.Slice(Math.Min(t + k, frames - 1) * width, width);
                var prev = x.Slice(Math.Max(t - k, 0) * width, width);
                for (int j = 0; j < width; j++) dt[j] += k * (next[j] - prev[j]);
            }
            for (int j = 0; j < width; j++) dt[j] /= denom;
        }
    }
}
