using System.Buffers;
using System.Numerics.Tensors;

namespace Aver.Tensors;

/// <summary>
/// The sizes of one grouped convolution: input [N, C, d, h, w], weight [Cout, C/groups, kd, kh, kw],
/// output [N, Cout, od, oh, ow]. Per sample and group the product is
/// W_g [Cout/g, C/g * K] x col [C/g * K, P] = y_g [Cout/g, P], with K the kernel volume and P the output volume.
/// </summary>
internal sealed class ConvPlan(int batch, int channels, int outChannels, int groups, Window window)
{
    public readonly int Batch = batch, Channels = channels, OutChannels = outChannels, Groups = groups;
    public readonly Window Window = window;
    public readonly int GroupIn = channels / groups, GroupOut = outChannels / groups;
    public int ColRows => GroupIn * Window.KernelVolume;
    public int OutVolume => Window.OutVolume;
    public int InVolume => Window.InVolume;

    /// <summary>A 1x1 kernel with unit stride and no padding: the input slice already is the column matrix.</summary>
    public bool Direct { get; } = window.KernelVolume == 1 && window.Stride.All(s => s == 1) && window.Padding.All(p => p == 0);

    public int ColSize => Direct ? 0 : ColRows * OutVolume;
}

/// <summary>
/// Convolution by im2col and one matrix product per sample and group. Samples are split into
/// one contiguous chunk per engine thread, each chunk with its own column buffer and
/// single-threaded BLAS: on two cores this beats sequential samples with threaded BLAS because
/// the im2col/col2im copies run in parallel too.
/// </summary>
internal static class ConvKernels
{
    /// <summary>When false, samples run one after another with multi-threaded BLAS (kept for benchmarks).</summary>
    internal static bool ParallelOverBatch = true;

    public static void Forward(ConvPlan p, float[] x, float[] w, float[]? bias, float[] y)
    {
        int rows = p.ColRows, pv = p.OutVolume, go = p.GroupOut;
        ForChunks(p.Batch, p.ColSize, 0, (start, end, col, _) =>
        {
            for (int n = start; n < end; n++)
                for (int g = 0; g < p.Groups; g++)
                {
                    var dst = y.AsSpan((n * p.OutChannels + g * go) * pv, go * pv);
                    if (bias is not null)
                        for (int o = 0; o < go; o++) dst.Slice(o * pv, pv).Fill(bias[g * go + o]);
                    Blas.Sgemm(false, false, go, pv, rows, w.AsSpan(g * go * rows, go * rows), Columns(p, x, n, g, col), dst, bias is null ? 0f : 1f);
                }
        });
    }

    /// <summary>Accumulates the gradients of input, weight and bias (each optional) from the output gradient <paramref name="gy"/>.</summary>
    public static void Backward(ConvPlan p, float[] x, float[] w, float[] gy, float[]? gx, float[]? gw, float[]? gb)
    {
        int rows = p.ColRows, pv = p.OutVolume, go = p.GroupOut, gi = p.GroupIn;
        if (gb is not null)
            for (int n = 0; n < p.Batch; n++)
                for (int o = 0; o < p.OutChannels; o++)
                    gb[o] += TensorPrimitives.Sum(gy.AsSpan((n * p.OutChannels + o) * pv, pv));
        if (gx is null && gw is null) return;

        ForChunks(p.Batch, p.ColSize, gw is null ? 0 : gw.Length, (start, end, col, gwPart) =>
        {
            // The first chunk adds straight into the weight gradient; the others into their own
            // buffer, summed after the parallel loop (no locks in the inner loop).
            var gwDst = start == 0 ? gw : gwPart;
            for (int n = start; n < end; n++)
                for (int g = 0; g < p.Groups; g++)
                {
                    var gyg = gy.AsSpan((n * p.OutChannels + g * go) * pv, go * pv);
                    var wg = w.AsSpan(g * go * rows, go * rows);
                    if (gwDst is not null)   // dW_g += dY_g col^T
                        Blas.Sgemm(false, true, go, rows, pv, gyg, Columns(p, x, n, g, col), gwDst.AsSpan(g * go * rows, go * rows), 1f);
                    if (gx is null) continue;
                    var gxg = gx.AsSpan((n * p.Channels + g * gi) * p.InVolume, gi * p.InVolume);
                    if (p.Direct) Blas.Sgemm(true, false, gi, pv, go, wg, gyg, gxg, 1f);
                    else
                    {   // dcol = W_g^T dY_g, folded back onto the input positions it came from
                        var dcol = col.AsSpan(0, p.ColSize);
                        Blas.Sgemm(true, false, rows, pv, go, wg, gyg, dcol);
                        Im2Col.FoldAdd(p.Window, dcol, gi, gxg);
                    }
                }
        }, mergeInto: gw);
    }

    private static ReadOnlySpan<float> Columns(ConvPlan p, float[] x, int n, int g, float[] col)
    {
        var src = x.AsSpan((n * p.Channels + g * p.GroupIn) * p.InVolume, p.GroupIn * p.InVolume);
        if (p.Direct) return src;
        var dst = col.AsSpan(0, p.ColSize);
        Im2Col.Unfold(p.Window, src, p.GroupIn, dst);
        return dst;
    }

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
        if (chunks == 1) Run(0);
        else
        {
            Blas.SetThreads(1);
            try { Engine.For(chunks, Run); }
            finally { Blas.SetThreads(Engine.Threads); }
        }
        for (int c = 1; c < chunks; c++)
        {
            if (partials[c] is null) continue;
            if (mergeInto is not null) TensorPrimitives.Add(mergeInto, partials[c].AsSpan(0, partialSize), mergeInto);
            ArrayPool<float>.Shared.Return(partials[c]);
        }
    }
}
