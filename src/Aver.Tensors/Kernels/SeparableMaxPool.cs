using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Aver.Tensors.Kernels;

/// <summary>
/// Max pooling of 1d and 2d windows without dilation (ResNet's 3x3/2 stem pool), per output row
/// in three vectorised steps: a max down the window's rows into a padded row buffer, a max across
/// every run of kernel-width columns of that buffer (unit stride, so it vectorises), then every
/// stride-th of those. Ties go to the smallest input offset (the first tap in row-major order)
/// and a NaN wins, as in the general walk: a plane holding a NaN is redone by the exact
/// per-window walk, so the vector steps need no NaN rule of their own. The plane loops are
/// compiled optimised from the first call: tier-0 code would run the first batches several times slower.
/// </summary>
internal static class SeparableMaxPool
{
    /// <summary>Whether <paramref name="w"/> is a window this kernel handles.</summary>
    public static bool Handles(Window w) => w.In[0] == 1 && w.Kernel[0] == 1 && w.Dilation[1] == 1 && w.Dilation[2] == 1;

    // Offset of padding in the row buffers: larger than any input's, so a tie never goes to padding.
    private const int PadOffset = int.MaxValue;

    /// <summary>
    /// y = the max of each window; <paramref name="argmax"/>, when given, receives the winning
    /// input offset within the plane (-1 when the window is empty). Without it no offsets are
    /// tracked, which is the inference case.
    /// </summary>
    public static void Forward(Window w, int planes, float[] x, float[] y, int[]? argmax)
    {
        int inVol = w.InVolume, outVol = w.OutVolume;
        if (x.Length < (long)planes * inVol || y.Length < (long)planes * outVol || (argmax is not null && argmax.Length < (long)planes * outVol))
            throw new ArgumentException("MaxForward: buffers smaller than the planes");
        var g = new Geometry(w);
        // Chunks of planes: one set of row buffers per chunk, and a plane (12 KB at 56x56) is too small a task alone.
        int chunks = Math.Min(planes, Engine.Threads * 8);
        Engine.For(chunks, chunk =>
        {
            int first = (int)((long)planes * chunk / chunks), last = (int)((long)planes * (chunk + 1) / chunks);
            var values = ArrayPool<float>.Shared.Rent(2 * g.BufferLength);
            var offsets = argmax is null ? null : ArrayPool<int>.Shared.Rent(2 * g.BufferLength);
            try
            {
                var padded = values.AsSpan(0, g.BufferLength);
                padded.Fill(float.NegativeInfinity);
                var paddedAt = offsets is null ? default : offsets.AsSpan(0, g.BufferLength);
                paddedAt.Fill(PadOffset);
                var runs = values.AsSpan(g.BufferLength, g.BufferLength);
                var runsAt = offsets is null ? default : offsets.AsSpan(g.BufferLength, g.BufferLength);
                for (int plane = first; plane < last; plane++)
                {
                    var src = x.AsSpan(plane * inVol, inVol);
                    var dst = y.AsSpan(plane * outVol, outVol);
                    var idx = argmax is null ? default : argmax.AsSpan(plane * outVol, outVol);
                    bool clean = argmax is null
                        ? Plane<NoOffsets>(g, src, dst, idx, padded, paddedAt, runs, runsAt)
                        : Plane<Offsets>(g, src, dst, idx, padded, paddedAt, runs, runsAt);
                    if (!clean) ExactPlane(g, src, dst, idx);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(values);
                if (offsets is not null) ArrayPool<int>.Shared.Return(offsets);
            }
        });
    }

    /// <summary>The plane geometry: output rows' windows clipped to the input, and the row buffers' layout.</summary>
    private sealed class Geometry
    {
        public readonly int InW, OutH, OutW, KernelW, StrideW, PadW;
        public readonly int[] RowLo, RowHi;
        /// <summary>Columns whose kernel-width run is needed: (OutW - 1) * stride + 1.</summary>
        public readonly int Runs;
        /// <summary>Row buffer length: left padding, the row, right padding up to the last window, and a vector of slack.</summary>
        public readonly int BufferLength;

        public Geometry(Window w)
        {
            InW = w.In[2]; OutH = w.Out[1]; OutW = w.Out[2];
            KernelW = w.Kernel[2]; StrideW = w.Stride[2]; PadW = w.Padding[2];
            RowLo = new int[OutH]; RowHi = new int[OutH];
            for (int o = 0; o < OutH; o++)
            {
                int start = o * w.Stride[1] - w.Padding[1];
                RowLo[o] = Math.Max(0, start);
                RowHi[o] = Math.Max(RowLo[o], Math.Min(w.In[1], start + w.Kernel[1]));
            }
            Runs = (OutW - 1) * StrideW + 1;
            int n = Vector<float>.Count;
            int vectorRuns = (Runs + n - 1) / n * n;
            BufferLength = Math.Max(PadW + InW, vectorRuns + KernelW - 1) + n;
        }
    }

    // Whether the passes track the input offset of each maximum (for the argmax).
    private interface IOffsetTracking { static abstract bool On { get; } }
    private readonly struct Offsets : IOffsetTracking { public static bool On => true; }
    private readonly struct NoOffsets : IOffsetTracking { public static bool On => false; }

    private static Vector<int> Iota()
    {
        Span<int> lanes = stackalloc int[Vector<int>.Count];
        for (int i = 0; i < lanes.Length; i++) lanes[i] = i;
        return new Vector<int>(lanes);
    }

    /// <summary>One plane; false when a NaN was read (the caller then redoes the plane exactly).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Plane<TOffsets>(Geometry g, ReadOnlySpan<float> src, Span<float> dst, Span<int> idx,
        Span<float> padded, Span<int> paddedAt, Span<float> runs, Span<int> runsAt)
        where TOffsets : struct, IOffsetTracking
    {
        int width = g.InW, outW = g.OutW, k = g.KernelW, stride = g.StrideW, n = Vector<float>.Count;
        var row = padded.Slice(g.PadW, width);
        var rowAt = TOffsets.On ? paddedAt.Slice(g.PadW, width) : default;
        var nan = Vector<int>.Zero;
        bool nanScalar = false;
        var iota = Iota();
        for (int oh = 0, at = 0; oh < g.OutH; oh++, at += outW)
        {
            int r0 = g.RowLo[oh], r1 = g.RowHi[oh];
            if (r0 == r1)
            {
                dst.Slice(at, outW).Fill(float.NegativeInfinity);
                if (TOffsets.On) idx.Slice(at, outW).Fill(-1);
                continue;
            }
            // Down the rows; a strictly larger value replaces, so on ties the earlier row stays.
            int c = 0;
            if (Vector.IsHardwareAccelerated)
            {
                for (; c <= width - n; c += n)
                {
                    var best = new Vector<float>(src.Slice(r0 * width + c));
                    nan |= ~Vector.Equals(best, best);
                    var bestAt = TOffsets.On ? new Vector<int>(r0 * width + c) + iota : default;
                    for (int r = r0 + 1; r < r1; r++)
                    {
                        var v = new Vector<float>(src.Slice(r * width + c));
                        nan |= ~Vector.Equals(v, v);
                        var more = Vector.GreaterThan(v, best);
                        best = Vector.ConditionalSelect(more, v, best);
                        if (TOffsets.On) bestAt = Vector.ConditionalSelect(more, new Vector<int>(r * width + c) + iota, bestAt);
                    }
                    best.CopyTo(row.Slice(c));
                    if (TOffsets.On) bestAt.CopyTo(rowAt.Slice(c));
                }
            }
            for (; c < width; c++)
            {
                float best = src[r0 * width + c];
                int bestAt = r0 * width + c;
                nanScalar |= float.IsNaN(best);
                for (int r = r0 + 1; r < r1; r++)
                {
                    float v = src[r * width + c];
                    nanScalar |= float.IsNaN(v);
                    if (v > best) { best = v; bestAt = r * width + c; }
                }
                row[c] = best;
                if (TOffsets.On) rowAt[c] = bestAt;
            }
            // Across every run of k columns of the padded row (window starts at unit stride);
            // among equal maxima the smallest input offset wins.
            c = 0;
            if (Vector.IsHardwareAccelerated)
            {
                for (; c < g.Runs; c += n)
                {
                    var best = new Vector<float>(padded.Slice(c));
                    var bestAt = TOffsets.On ? new Vector<int>(paddedAt.Slice(c)) : default;
                    for (int j = 1; j < k; j++)
                    {
                        var v = new Vector<float>(padded.Slice(c + j));
                        if (!TOffsets.On) { best = Vector.ConditionalSelect(Vector.GreaterThan(v, best), v, best); continue; }
                        var vAt = new Vector<int>(paddedAt.Slice(c + j));
                        var take = Vector.GreaterThan(v, best) | (Vector.Equals(v, best) & Vector.LessThan(vAt, bestAt));
                        best = Vector.ConditionalSelect(take, v, best);
                        bestAt = Vector.ConditionalSelect(take, vAt, bestAt);
                    }
                    best.CopyTo(runs.Slice(c));
                    if (TOffsets.On) bestAt.CopyTo(runsAt.Slice(c));
                }
            }
            for (; c < g.Runs; c++)
            {
                float best = padded[c];
                int bestAt = TOffsets.On ? paddedAt[c] : 0;
                for (int j = 1; j < k; j++)
                {
                    float v = padded[c + j];
                    int vAt = TOffsets.On ? paddedAt[c + j] : 0;
                    if (v > best || (TOffsets.On && v == best && vAt < bestAt)) { best = v; bestAt = vAt; }
                }
                runs[c] = best;
                if (TOffsets.On) runsAt[c] = bestAt;
            }
            // Every stride-th run is a window.
            var outRow = dst.Slice(at, outW);
            for (int ow = 0; ow < outRow.Length; ow++) outRow[ow] = runs[ow * stride];
            if (TOffsets.On)
            {
                var idxRow = idx.Slice(at, outW);
                for (int ow = 0; ow < idxRow.Length; ow++)
                {
                    int o = runsAt[ow * stride];
                    idxRow[ow] = o == PadOffset ? -1 : o;
                }
            }
        }
        return !nanScalar && nan == Vector<int>.Zero;
    }

    /// <summary>The per-window walk for a plane holding a NaN: the first NaN of a window wins (it propagates).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExactPlane(Geometry g, ReadOnlySpan<float> src, Span<float> dst, Span<int> idx)
    {
        int width = g.InW;
        for (int oh = 0, at = 0; oh < g.OutH; oh++)
            for (int ow = 0; ow < g.OutW; ow++, at++)
            {
                int r0 = g.RowLo[oh], r1 = g.RowHi[oh];
                int c0 = Math.Max(0, ow * g.StrideW - g.PadW), c1 = Math.Min(width, ow * g.StrideW - g.PadW + g.KernelW);
                float best = float.NegativeInfinity;
                int bestAt = -1;
                for (int r = r0; r < r1; r++)
                    for (int i = r * width + c0, end = r * width + c1; i < end; i++)
                    {
                        float v = src[i];
                        if (float.IsNaN(v)) { best = v; bestAt = i; goto done; }
                        if (v > best || bestAt < 0) { best = v; bestAt = i; }
                    }
            done:
                dst[at] = best;
                if (!idx.IsEmpty) idx[at] = bestAt;
            }
    }
}
