using System.Buffers;
using System.Numerics.Tensors;

namespace Aver.Tensors.Kernels;

/// <summary>
/// The sizes of one grouped convolution: input [N, C, d, h, w], weight [Cout, C/groups, kd, kh, kw],
/// output [N, Cout, od, oh, ow]. Per sample and group the product is
/// W_g [Cout/g, C/g * K] x col [C/g * K, P] = y_g [Cout/g, P], with K the kernel volume and P the output volume.
/// The P output positions are processed in tiles of whole output rows (od, oh) so that a tile's
/// columns stay in the core's L2 cache between im2col and the matrix product.
/// </summary>
internal sealed class ConvPlan
{
    // Half the L2 cache of columns per tile: measured on the 64->64 3x3 56x56 layer (1 MB L2),
    // 224-column tiles made the three products 25% faster than whole-sample ones; on a 512 KB L2
    // (Zen 1) 64K-float tiles made the 7x7/2 stem 15% faster than 128K. Tiles below ~128
    // columns lose more in the product than they gain in cache.
    private static int TileFloats => Math.Clamp(Engine.L2CacheBytes / 8, 32 * 1024, 512 * 1024);
    private const int MinTileColumns = 128;
    // Small outputs (ResNet's 14x14 and 7x7 stages) make thin products that pack the whole weight
    // matrix again for every sample; unfolding several samples side by side widens them to at
    // least this many columns.
    private const int MinBatchedColumns = 256;

    public readonly int Batch, Channels, OutChannels, Groups, GroupIn, GroupOut;
    public readonly Window Window;
    /// <summary>A 1x1 kernel with unit stride and no padding: the input slice already is the column matrix.</summary>
    public readonly bool Direct;
    /// <summary>Output rows (od, oh) per tile, and the number of rows.</summary>
    public readonly int TileRows, Rows;
    /// <summary>Samples unfolded side by side into one column matrix (1: one sample, tiled by rows).</summary>
    public readonly int SamplesPerTile;
    /// <summary>
    /// Batched samples are interleaved inside each image row (sample fastest) rather than placed
    /// block after block: it turns the many image-row-long runs of im2col on small images
    /// (ResNet's 14x14, 7x7 and 4x4 stages) into fewer, longer ones.
    /// </summary>
    public readonly bool Interleaved;
    /// <summary>
    /// A 2-D stride-2 window: columns come from the input's phase planes (<see cref="PhasePlanes"/>), long shifted
    /// runs instead of one strided gather per output row; <see cref="Taps"/> are its per-tap shifts.
    /// </summary>
    public readonly bool Phased;
    public readonly (Window Shift, int Phase)[] Taps = [];

    public ConvPlan(int batch, int channels, int outChannels, int groups, Window window)
    {
        Batch = batch; Channels = channels; OutChannels = outChannels; Groups = groups; Window = window;
        GroupIn = channels / groups; GroupOut = outChannels / groups;
        Direct = window.KernelVolume == 1 && window.Stride.All(s => s == 1) && window.Padding.All(p => p == 0);
        Rows = window.Out[0] * window.Out[1];
        int rowFloats = Math.Max(1, ColRows * window.Out[2]);
        TileRows = Direct ? Rows : Math.Clamp(Math.Max(TileFloats / rowFloats, (MinTileColumns + window.Out[2] - 1) / Math.Max(1, window.Out[2])), 1, Math.Max(1, Rows));
        int pv = Math.Max(1, window.OutVolume);
        SamplesPerTile = Direct || TileRows < Rows ? 1 : Math.Clamp((MinBatchedColumns + pv - 1) / pv, 1, Math.Max(1, batch));
        // Under a strided window the interleaved samples move as blocks of SamplesPerTile floats; blocks of 2
        // (ResNet's 14x14 stage) measured no faster than per-sample runs.
        Interleaved = SamplesPerTile > 1 && (window.Stride[2] == 1 || SamplesPerTile >= 4);
        // Phase planes where samples are not interleaved: one thread, alternating with the strided gather under load
        // (bench/conv-shapes.md, 2026-12-06), ResNet-18's 3x3/2 into 14x14 took 6.4-8.9 instead of 9.3-9.9 ms for the
        // weight gradient (forward and input gradient within the noise) and the stem's input gradient 17-20 instead of
        // 25-28 ms; they lost to the interleaved blocks of the 7x7 and 4x4 outputs (a call per tap and plane of 49 or
        // 16 floats: 6.3 -> 11.1 ms forward), and a 1x1/2 would split four planes to read one.
        Phased = !Direct && !Interleaved && window.KernelVolume > 1 && PhasePlanes.Applies(window);
        if (Phased) Taps = PhasePlanes.Taps(window);
    }

    public int ColRows => GroupIn * Window.KernelVolume;
    public int OutVolume => Window.OutVolume;
    public int InVolume => Window.InVolume;
    public int Width => Window.Out[2];
    /// <summary>
    /// Floats of the per-thread work buffer: the column matrix of one tile, and for batched samples
    /// also their gathered outputs (or output gradients), GroupOut x SamplesPerTile * OutVolume, and
    /// when interleaved their inputs (or input gradients), GroupIn * InVolume * SamplesPerTile.
    /// </summary>
    public int ColSize => Direct ? 0
        : (SamplesPerTile > 1 ? ((ColRows + GroupOut) * OutVolume + (Interleaved ? GroupIn * InVolume : 0)) * SamplesPerTile
        : ColRows * TileRows * Width) + 2 * PhaseFloats;

    /// <summary>Floats of one sample-group's phase planes (<see cref="Phased"/>); the work buffer ends with two: the input's and its gradient's.</summary>
    public int PhaseFloats => Phased ? PhasePlanes.Floats(Window, GroupIn) : 0;

    /// <summary>Samples per batched tile within a chunk of <paramref name="count"/> samples, balanced so the last tile is not a sliver.</summary>
    public int SamplesPerTileIn(int count)
    {
        int tiles = (count + SamplesPerTile - 1) / SamplesPerTile;
        return Math.Max(1, (count + tiles - 1) / Math.Max(1, tiles));
    }
}

/// <summary>
/// Convolution by im2col and matrix products per sample, group and tile of output rows. Samples
/// are split into one contiguous chunk per engine thread, each chunk with its own column buffer
/// and single-threaded BLAS: on two cores this beat sequential samples with threaded BLAS
/// (64->64 3x3 56x56, batch 16: 233 vs 287 ms CPU) because im2col and col2im run in parallel too.
/// </summary>
internal static class ConvKernels
{
    /// <summary>When false, samples run one after another with multi-threaded BLAS (kept for benchmarks).</summary>
    internal static bool ParallelOverBatch = true;

    /// <summary>
    /// y = conv(x, w) + bias, through <paramref name="epilogue"/> when given (inference). With
    /// <paramref name="keepKernels"/> it may return work of the forward pass that <see cref="Backward"/> reuses for the
    /// input gradient (Winograd's transformed kernels); hand it to the backward pass, which recycles it.
    /// </summary>
    public static float[]? Forward(ConvPlan p, float[] x, float[] w, float[]? bias, float[] y, ConvEpilogue? epilogue = null, bool keepKernels = false)
    {
        if (Winograd.Applies(p)) return Winograd.Forward(p, x, w, bias, y, epilogue, keepKernels);
        if (DepthwiseConv.Applies(p))
        {
            DepthwiseConv.Forward(p, x, w, bias, y);
            epilogue?.Apply(y, p.Batch, p.OutChannels, p.OutVolume);
            return null;
        }
        int rows = p.ColRows, pv = p.OutVolume, go = p.GroupOut;
        ForChunks(p.Batch, p.ColSize, 0, (start, end, col, _) =>
        {
            if (p.SamplesPerTile > 1)
            {
                int step = p.SamplesPerTileIn(end - start);
                for (int n = start; n < end; n += step)
                {
                    int samples = Math.Min(step, end - n);
                    for (int g = 0; g < p.Groups; g++)
                        ForwardSamples(p, x, w, bias, y, n, samples, g, col);
                    // Each sample's outputs through the epilogue while they are still in cache.
                    for (int k = n; k < n + samples; k++) epilogue?.Apply(y, k, p.OutChannels, 0, p.OutChannels, pv);
                }
                return;
            }
            for (int n = start; n < end; n++)
                for (int g = 0; g < p.Groups; g++)
                {
                    int yAt = (n * p.OutChannels + g * go) * pv;
                    if (bias is not null)
                        for (int o = 0; o < go; o++) y.AsSpan(yAt + o * pv, pv).Fill(bias[g * go + o]);
                    SplitPhases(p, x, n, g, col);
                    for (int r0 = 0; r0 < p.Rows; r0 += p.TileRows)
                    {
                        int r1 = Math.Min(p.Rows, r0 + p.TileRows), cols = (r1 - r0) * p.Width;
                        var c = Columns(p, x, n, g, r0, r1, col, out int ldc);
                        Blas.Sgemm(false, false, go, cols, rows, 1f, w.AsSpan(g * go * rows), rows, c, ldc,
                            bias is null ? 0f : 1f, y.AsSpan(yAt + r0 * p.Width), pv);
                    }
                    epilogue?.Apply(y, n, p.OutChannels, g * go, go, pv);
                }
        });
        return null;
    }

    /// <summary>
    /// Accumulates the gradients of input, weight and bias (each optional) from the output gradient <paramref name="gy"/>;
    /// <paramref name="kept"/> is what <see cref="Forward"/> returned, recycled here.
    /// </summary>
    public static void Backward(ConvPlan p, float[] x, float[] w, float[] gy, float[]? gx, float[]? gw, float[]? gb, float[]? kept = null)
    {
        try { Gradients(p, x, w, gy, gx, gw, gb, kept); }
        finally { TensorMemory.Recycle(kept); }
    }

    private static void Gradients(ConvPlan p, float[] x, float[] w, float[] gy, float[]? gx, float[]? gw, float[]? gb, float[]? kept)
    {
        int rows = p.ColRows, pv = p.OutVolume, go = p.GroupOut, gi = p.GroupIn;
        if (gb is not null)
            for (int n = 0; n < p.Batch; n++)
                for (int o = 0; o < p.OutChannels; o++)
                    gb[o] += TensorPrimitives.Sum(gy.AsSpan((n * p.OutChannels + o) * pv, pv));
        if (Winograd.Applies(p, backward: true))
        {
            if (kept is not null && gx is not null) { Winograd.BackwardByTap(p, x, gy, gx, gw, kept); return; }
            if (gx is not null && Winograd.ByPanels(p)) { Winograd.BackwardByTap(p, x, gy, gx, gw, null, w); return; }
            if (gx is not null) Winograd.BackwardData(p, w, gy, gx);
            if (gw is not null) Winograd.BackwardWeights(p, x, gy, gw);
            return;
        }
        if (gx is null && gw is null) return;

        ForChunks(p.Batch, p.ColSize, gw is null ? 0 : gw.Length, (start, end, col, gwPart) =>
        {
            // The first chunk adds straight into the weight gradient; the others into their own
            // buffer, summed after the parallel loop (no locks in the inner loop).
            var gwDst = start == 0 ? gw : gwPart;
            if (p.SamplesPerTile > 1)
            {
                int step = p.SamplesPerTileIn(end - start);
                for (int n = start; n < end; n += step)
                    for (int g = 0; g < p.Groups; g++)
                        BackwardSamples(p, x, w, gy, gx, gwDst, n, Math.Min(step, end - n), g, col);
                return;
            }
            for (int n = start; n < end; n++)
                for (int g = 0; g < p.Groups; g++)
                {
                    int yAt = (n * p.OutChannels + g * go) * pv;
                    var wg = w.AsSpan(g * go * rows);
                    var gxg = gx is null ? default : gx.AsSpan((n * p.Channels + g * gi) * p.InVolume, gi * p.InVolume);
                    if (gwDst is not null) SplitPhases(p, x, n, g, col);
                    if (gx is not null && p.Phased) GradientPhases(p, col).Clear();
                    for (int r0 = 0; r0 < p.Rows; r0 += p.TileRows)
                    {
                        int r1 = Math.Min(p.Rows, r0 + p.TileRows), cols = (r1 - r0) * p.Width;
                        var gyt = gy.AsSpan(yAt + r0 * p.Width);
                        if (gwDst is not null)
                        {   // dW_g += dY_g col^T
                            var c = Columns(p, x, n, g, r0, r1, col, out int ldc);
                            Blas.Sgemm(false, true, go, rows, cols, 1f, gyt, pv, c, ldc, 1f, gwDst.AsSpan(g * go * rows), rows);
                        }
                        if (gx is null) continue;
                        if (p.Direct) Blas.Sgemm(true, false, gi, cols, go, 1f, wg, rows, gyt, pv, 1f, gxg[(r0 * p.Width)..], pv);
                        else
                        {   // dcol = W_g^T dY_g, folded back onto the input positions it came from
                            var dcol = col.AsSpan(0, rows * cols);
                            Blas.Sgemm(true, false, rows, cols, go, 1f, wg, rows, gyt, pv, 0f, dcol, cols);
                            if (p.Phased) PhasePlanes.FoldAdd(p.Taps, p.Window, dcol, gi, r0, r1, GradientPhases(p, col));
                            else Im2Col.FoldAdd(p.Window, dcol, gi, r0, r1, gxg);
                        }
                    }
                    if (gx is not null && p.Phased) PhasePlanes.MergeAdd(p.Window, GradientPhases(p, col), gi, gxg);
                }
        }, mergeInto: gw);
    }

    /// <summary>
    /// Forward of samples [n0, n0 + samples) of group g as one product: their columns side by side,
    /// W_g [go, rows] x col [rows, samples * P], then each sample's block copied to its place in y.
    /// </summary>
    private static void ForwardSamples(ConvPlan p, float[] x, float[] w, float[]? bias, float[] y, int n0, int samples, int g, float[] buffer)
    {
        int rows = p.ColRows, pv = p.OutVolume, go = p.GroupOut, ld = samples * pv;
        var col = UnfoldSamples(p, x, n0, samples, g, buffer);
        var yt = buffer.AsSpan(rows * ld, go * ld);
        Blas.Sgemm(false, false, go, ld, rows, 1f, w.AsSpan(g * go * rows), rows, col, ld, 0f, yt, ld);
        var b = bias is null ? default : bias.AsSpan(g * go, go);
        if (p.Interleaved)
        {
            SampleInterleave.Scatter(yt, go * pv, samples, y, (n0 * p.OutChannels + g * go) * pv, p.OutChannels * pv, false, b, pv);
            return;
        }
        for (int s = 0; s < samples; s++)
            for (int o = 0; o < go; o++)
            {
                var src = yt.Slice(o * ld + s * pv, pv);
                var dst = y.AsSpan(((n0 + s) * p.OutChannels + g * go + o) * pv, pv);
                if (bias is null) src.CopyTo(dst);
                else TensorPrimitives.Add(src, b[o], dst);
            }
    }

    /// <summary>Backward of samples [n0, n0 + samples) of group g as one product each for dW and dcol (see <see cref="ForwardSamples"/>).</summary>
    private static void BackwardSamples(ConvPlan p, float[] x, float[] w, float[] gy, float[]? gx, float[]? gw, int n0, int samples, int g, float[] buffer)
    {
        int rows = p.ColRows, pv = p.OutVolume, go = p.GroupOut, gi = p.GroupIn, ld = samples * pv;
        var gyt = buffer.AsSpan(rows * ld, go * ld);
        if (p.Interleaved) SampleInterleave.Gather(gy, (n0 * p.OutChannels + g * go) * pv, p.OutChannels * pv, go * pv, samples, gyt);
        else
            for (int s = 0; s < samples; s++)
                for (int o = 0; o < go; o++)
                    gy.AsSpan(((n0 + s) * p.OutChannels + g * go + o) * pv, pv).CopyTo(gyt.Slice(o * ld + s * pv, pv));
        var wg = w.AsSpan(g * go * rows);
        if (gw is not null)
        {   // dW_g += dY_g col^T over all the samples at once
            var col = UnfoldSamples(p, x, n0, samples, g, buffer);
            Blas.Sgemm(false, true, go, rows, ld, 1f, gyt, ld, col, ld, 1f, gw.AsSpan(g * go * rows), rows);
        }
        if (gx is null) return;
        var dcol = buffer.AsSpan(0, rows * ld);
        Blas.Sgemm(true, false, rows, ld, go, 1f, wg, rows, gyt, ld, 0f, dcol, ld);
        int xAt = (n0 * p.Channels + g * gi) * p.InVolume;
        if (p.Interleaved)
        {
            var gxi = InterleavedInputs(p, samples, buffer);
            gxi.Clear();
            Im2Col.FoldAdd(p.Window.InterleavedWidth(samples), dcol, gi, 0, p.Rows, gxi);
            SampleInterleave.Scatter(gxi, gi * p.InVolume, samples, gx, xAt, p.Channels * p.InVolume, true);
            return;
        }
        for (int s = 0; s < samples; s++)
        {
            var gxs = gx.AsSpan(xAt + s * p.Channels * p.InVolume, gi * p.InVolume);
            if (!p.Phased) { Im2Col.FoldAdd(p.Window, dcol[(s * pv)..], gi, 0, p.Rows, gxs, ld); continue; }
            var planes = GradientPhases(p, buffer);
            planes.Clear();
            PhasePlanes.FoldAdd(p.Taps, p.Window, dcol[(s * pv)..], gi, 0, p.Rows, planes, ld);
            PhasePlanes.MergeAdd(p.Window, planes, gi, gxs);
        }
    }

    /// <summary>
    /// The columns of samples [n0, n0 + samples), group g, side by side: [rows, samples * P], the
    /// samples' blocks one after another, or interleaved position by position when <see cref="ConvPlan.Interleaved"/>.
    /// </summary>
    private static Span<float> UnfoldSamples(ConvPlan p, float[] x, int n0, int samples, int g, float[] buffer)
    {
        int pv = p.OutVolume, ld = samples * pv, gi = p.GroupIn, xAt = (n0 * p.Channels + g * gi) * p.InVolume;
        var col = buffer.AsSpan(0, p.ColRows * ld);
        if (p.Interleaved)
        {
            var xi = InterleavedInputs(p, samples, buffer);
            SampleInterleave.Gather(x, xAt, p.Channels * p.InVolume, gi * p.InVolume, samples, xi);
            Im2Col.Unfold(p.Window.InterleavedWidth(samples), xi, gi, 0, p.Rows, col);
            return col;
        }
        for (int s = 0; s < samples; s++)
        {
            var xs = x.AsSpan(xAt + s * p.Channels * p.InVolume, gi * p.InVolume);
            if (!p.Phased) { Im2Col.Unfold(p.Window, xs, gi, 0, p.Rows, col[(s * pv)..], ld); continue; }
            var planes = InputPhases(p, buffer);
            PhasePlanes.Split(p.Window, xs, gi, planes);
            PhasePlanes.Unfold(p.Taps, p.Window, planes, gi, 0, p.Rows, col[(s * pv)..], ld);
        }
        return col;
    }

    /// <summary>The part of the work buffer after the columns and outputs that holds interleaved inputs (or input gradients).</summary>
    private static Span<float> InterleavedInputs(ConvPlan p, int samples, float[] buffer)
        => buffer.AsSpan((p.ColRows + p.GroupOut) * samples * p.OutVolume, p.GroupIn * p.InVolume * samples);

    /// <summary>The column matrix of output rows [r0, r1) for sample n, group g, and its leading dimension.</summary>
    private static Span<float> Columns(ConvPlan p, float[] x, int n, int g, int r0, int r1, float[] col, out int ld)
    {
        var src = x.AsSpan((n * p.Channels + g * p.GroupIn) * p.InVolume, p.GroupIn * p.InVolume);
        if (p.Direct) { ld = p.OutVolume; return src[(r0 * p.Width)..]; }
        ld = (r1 - r0) * p.Width;
        var dst = col.AsSpan(0, p.ColRows * ld);
        if (p.Phased) PhasePlanes.Unfold(p.Taps, p.Window, InputPhases(p, col), p.GroupIn, r0, r1, dst);
        else Im2Col.Unfold(p.Window, src, p.GroupIn, r0, r1, dst);
        return dst;
    }

    /// <summary>The phase planes of sample n, group g, into the work buffer (<see cref="Columns"/> of a phased plan reads them).</summary>
    private static void SplitPhases(ConvPlan p, float[] x, int n, int g, float[] buffer)
    {
        if (!p.Phased) return;
        PhasePlanes.Split(p.Window, x.AsSpan((n * p.Channels + g * p.GroupIn) * p.InVolume, p.GroupIn * p.InVolume), p.GroupIn, InputPhases(p, buffer));
    }

    /// <summary>The last two parts of the work buffer: the input's phase planes, then their gradient's.</summary>
    private static Span<float> InputPhases(ConvPlan p, float[] buffer) => buffer.AsSpan(p.ColSize - 2 * p.PhaseFloats, p.PhaseFloats);
    private static Span<float> GradientPhases(ConvPlan p, float[] buffer) => buffer.AsSpan(p.ColSize - p.PhaseFloats, p.PhaseFloats);

    private delegate void ChunkBody(int start, int end, float[] col, float[]? partial);

    /// <summary>
    /// Runs <paramref name="body"/> over contiguous sample ranges, one per thread, each with a
    /// pooled column buffer and (for chunks after the first) a zeroed partial sum of
    /// <paramref name="partialSize"/> floats that is added into <paramref name="mergeInto"/> afterwards.
    /// </summary>
    private static void ForChunks(int count, int colSize, int partialSize, ChunkBody body, float[]? mergeInto = null)
    {
        int chunks = ParallelOverBatch ? Math.Min(Engine.Threads, count) : 1;
        var partials = new float[chunks][];
        void Run(int c)
        {
            var col = ArrayPool<float>.Shared.Rent(Math.Max(colSize, 1));
            float[]? partial = null;
            if (c > 0 && partialSize > 0) { partial = ArrayPool<float>.Shared.Rent(partialSize); Array.Clear(partial, 0, partialSize); }
            try { body(c * count / chunks, (c + 1) * count / chunks, col, partial); }
            finally { ArrayPool<float>.Shared.Return(col); }
            partials[c] = partial!;
        }
        Engine.For(chunks, Run);
        for (int c = 1; c < chunks; c++)
        {
            if (partials[c] is null) continue;
            if (mergeInto is not null) TensorPrimitives.Add(mergeInto, partials[c].AsSpan(0, partialSize), mergeInto);
            ArrayPool<float>.Shared.Return(partials[c]);
        }
    }
}
