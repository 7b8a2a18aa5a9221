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
    /// One pass runs the whole image as if it were one long row (frames in vector lanes); only the N frames
    /// at each row's ends, where that would reach into the next row, are redone with the edge frames repeated.
    /// </summary>
    public static unsafe void ComputeAlongRows(ReadOnlySpan<float> x, Span<float> d, int rows, int frames, int n = 2)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Deltas: N must be at least 1");
        int total = rows * frames;
        if (x.Length < total || d.Length < total)
            throw new ArgumentException($"Deltas: [{rows}, {frames}] does not fit x of {x.Length} or d of {d.Length}");
        float denom = n * (n + 1) * (2 * n + 1) / 3f;
        fixed (float* px = x, pd = d)
        {
            switch (LaneWidths.Current)
            {
                case LaneWidth.V512: Interior<Lanes512>(px, pd, total, n, denom); break;
                case LaneWidth.V256: Interior<Lanes256>(px, pd, total, n, denom); break;
                default: Interior<Lanes128>(px, pd, total, n, denom); break;
            }
            int head = Math.Min(n, frames), tail = Math.Max(frames - n, head);
            for (int r = 0; r < rows; r++)
            {
                float* xr = px + r * frames, dr = pd + r * frames;
                for (int t = 0; t < head; t++) dr[t] = Edge(xr, t, frames, n, denom);
                for (int t = tail; t < frames; t++) dr[t] = Edge(xr, t, frames, n, denom);
            }
        }
    }

    // d[i] = (sum_k k (x[i + k] - x[i - k])) / denom for n <= i < total - n, accumulated from zero as Compute does.
    private static unsafe void Interior<T>(float* x, float* d, int total, int n, float denom) where T : struct, ILaneVector<T>
    {
        int i = n, lanes = T.Count;
        T div = T.Broadcast(denom);
        for (; i + lanes <= total - n; i += lanes)
        {
            T acc = T.Zero;
            for (int k = 1; k <= n; k++) acc = acc + T.Broadcast(k) * (T.Load(x + i + k) - T.Load(x + i - k));
            T.Store(acc / div, d + i);
        }
        for (; i < total - n; i++)
        {
            float acc = 0;
            for (int k = 1; k <= n; k++) acc += k * (x[i + k] - x[i - k]);
            d[i] = acc / denom;
        }
    }

    private static unsafe float Edge(float* row, int t, int frames, int n, float denom)
    {
        float acc = 0;
        for (int k = 1; k <= n; k++) acc += k * (row[Math.Min(t + k, frames - 1)] - row[Math.Max(t - k, 0)]);
        return acc / denom;
    }
}
