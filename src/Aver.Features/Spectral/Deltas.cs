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

    /// <summary>
    /// The same with time along the rows: <paramref name="x"/> is [rows, frames] (each feature's frames
    /// contiguous), rounded as <see cref="Compute(ReadOnlySpan{float}, Span{float}, int, int, int)"/> does.
    /// Each difference runs over the whole image at once as if it were one long row; only the k frames
    /// at each row's ends, where that would reach into the next row, are redone with the edge frames repeated.
    /// </summary>
    public static void ComputeAlongRows(ReadOnlySpan<float> x, Span<float> d, int rows, int frames, int n = 2)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Deltas: N must be at least 1");
        float denom = n * (n + 1) * (2 * n + 1) / 3f;
        int total = rows * frames;
        var diffArray = System.Buffers.ArrayPool<float>.Shared.Rent(total);
        try
        {
            var diff = diffArray.AsSpan(0, total);
            var dt = d[..total];
            dt.Clear();
            for (int k = 1; k <= n; k++)
            {
                // diff[i] = x[i + k] - x[i - k]
                if (total > 2 * k) System.Numerics.Tensors.TensorPrimitives.Subtract(x[(2 * k)..total], x[..(total - 2 * k)], diff[k..(total - k)]);
                int head = Math.Min(k, frames), tail = Math.Max(frames - k, head);
                for (int r = 0; r < rows; r++)
                {
                    var xr = x.Slice(r * frames, frames);
                    var diffRow = diff.Slice(r * frames, frames);
                    for (int t = 0; t < head; t++) diffRow[t] = xr[Math.Min(t + k, frames - 1)] - xr[Math.Max(t - k, 0)];
                    for (int t = tail; t < frames; t++) diffRow[t] = xr[Math.Min(t + k, frames - 1)] - xr[Math.Max(t - k, 0)];
                }
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(diff, (float)k, dt, dt);
            }
            System.Numerics.Tensors.TensorPrimitives.Divide(dt, denom, dt);
        }
        finally { System.Buffers.ArrayPool<float>.Shared.Return(diffArray); }
    }
}
