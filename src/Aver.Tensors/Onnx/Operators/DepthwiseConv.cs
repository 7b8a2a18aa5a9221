using System.Numerics;
using System.Runtime.CompilerServices;

namespace Aver.Tensors.Onnx;

/// <summary>
/// Inference-only depthwise 2-d convolution (groups = channels = output channels, weight [C, 1, kh, kw]) with
/// separate begin/end padding, computed directly: each plane is copied once into a zero-bordered scratch whose
/// rows are split by column phase (column c goes to phase c mod sx, so a strided tap reads contiguous floats),
/// then each output row is built a vector of outputs at a time, accumulating all kh x kw taps in registers.
/// The general grouped convolution runs one matrix product of a single row per channel, which for
/// MobileNet-style networks (BlazeFace) costs several times more; this path is taken only when no gradient
/// is needed.
/// </summary>
internal static class DepthwiseConv
{
    /// <summary>Whether <see cref="Forward"/> applies: 2-d, depthwise, unit dilation, and nothing to differentiate.</summary>
    public static bool Applies(Tensor x, Tensor w, Tensor? b, int groups, int[] dilation) =>
        x.Rank == 4 && w.Rank == 4 && groups == x.Dim(1) && w.Dim(0) == groups && w.Dim(1) == 1
        && dilation.All(d => d == 1)
        && !(GradMode.IsEnabled && (x.RequiresGrad || w.RequiresGrad || (b?.RequiresGrad ?? false)));

    /// <summary>x [N, C, H, W], w [C, 1, kh, kw], bias [C] or null -> [N, C, Ho, Wo].</summary>
    public static Tensor Forward(Tensor x, Tensor w, Tensor? bias, int[] stride, int[] begin, int[] end)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), wd = x.Dim(3), kh = w.Dim(2), kw = w.Dim(3);
        int sy = stride[0], sx = stride[1], pt = begin[0], pl = begin[1];
        int ho = (h + begin[0] + end[0] - kh) / sy + 1, wo = (wd + begin[1] + end[1] - kw) / sx + 1;
        if (ho <= 0 || wo <= 0)
            throw new ShapeException($"Conv (depthwise): input {ShapeMath.Format(x.Shape)} is smaller than kernel {kh}x{kw} with padding");
        var y = new float[n * c * ho * wo];
        var xd = x.Data;
        var wdata = w.Data;
        var bd = bias?.Data;
        Engine.For(n * c, plane =>
        {
            int ch = plane % c;
            Plane(xd.AsSpan(plane * h * wd, h * wd), h, wd, wdata.AsSpan(ch * kh * kw, kh * kw), kh, kw, sy, sx, pt, pl,
                bd?[ch] ?? 0f, y.AsSpan(plane * ho * wo, ho * wo), ho, wo);
        });
        return new Tensor(y, n, c, ho, wo);
    }

    /// <summary>
    /// One plane. Scratch row r holds padded input row r (padded row = input row + pt) as sx phases of
    /// <c>phase</c> floats each: padded column pc = input column + pl sits in phase pc mod sx at pc / sx, so
    /// output column ox's tap kx reads phase kx mod sx at ox + kx / sx: for a run of outputs, contiguous floats.
    /// Columns and rows outside the input (the padding, and room for whole vectors past the right edge) are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Plane(ReadOnlySpan<float> src, int h, int wd, ReadOnlySpan<float> k, int kh, int kw, int sy, int sx, int pt, int pl,
        float bias, Span<float> dst, int ho, int wo)
    {
        int v = Vector<float>.Count;
        int wv = (wo + v - 1) / v * v, phase = wv + (kw - 1) / sx, row = sx * phase, ph = (ho - 1) * sy + kh;
        var pool = System.Buffers.ArrayPool<float>.Shared;
        var scratch = pool.Rent(ph * row + wv);
        try
        {
            var padded = scratch.AsSpan(0, ph * row);
            padded.Clear();
            for (int iy = 0; iy < h; iy++)
            {
                int py = iy + pt;
                if (py < 0 || py >= ph) continue;
                var inRow = src.Slice(iy * wd, wd);
                var outRow = padded.Slice(py * row, row);
                if (sx == 1)
                {
                    int first = Math.Max(0, -pl), cols = Math.Min(wd, phase - pl) - first;
                    if (cols > 0) inRow.Slice(first, cols).CopyTo(outRow.Slice(first + pl, cols));
                    continue;
                }
                for (int at = 0; at < phase; at++)
                    for (int p = 0, ix = at * sx - pl; p < sx; p++, ix++)
                        if ((uint)ix < (uint)wd) outRow[p * phase + at] = inRow[ix];
            }
            // Where tap kx starts within a scratch row (no division in the inner loop).
            Span<int> tap = stackalloc int[kw];
            for (int kx = 0; kx < kw; kx++) tap[kx] = kx % sx * phase + kx / sx;
            var tmp = scratch.AsSpan(ph * row, wv);
            if (kh == 3 && kw == 3)
            {
                ThreeByThree(padded, row, tap, k, sy, bias, tmp, dst, ho, wo, wv);
                return;
            }
            for (int oy = 0; oy < ho; oy++)
            {
                for (int ox = 0; ox < wv; ox += v)
                {
                    var acc = new Vector<float>(bias);
                    for (int ky = 0; ky < kh; ky++)
                    {
                        var prow = padded.Slice((oy * sy + ky) * row);
                        for (int kx = 0; kx < kw; kx++)
                            acc += new Vector<float>(prow.Slice(tap[kx] + ox, v)) * k[ky * kw + kx];
                    }
                    acc.CopyTo(tmp.Slice(ox, v));
                }
                tmp[..wo].CopyTo(dst.Slice(oy * wo, wo));
            }
        }
        finally { pool.Return(scratch); }
    }

    /// <summary>The 3x3 case of <see cref="Plane"/>'s row loop (BlazeFace's every depthwise layer): the nine weights stay in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ThreeByThree(ReadOnlySpan<float> padded, int row, ReadOnlySpan<int> tap, ReadOnlySpan<float> k, int sy, float bias,
        Span<float> tmp, Span<float> dst, int ho, int wo, int wv)
    {
        int v = Vector<float>.Count, t0 = tap[0], t1 = tap[1], t2 = tap[2];
        Vector<float> k0 = new(k[0]), k1 = new(k[1]), k2 = new(k[2]), k3 = new(k[3]), k4 = new(k[4]),
            k5 = new(k[5]), k6 = new(k[6]), k7 = new(k[7]), k8 = new(k[8]), b = new(bias);
        for (int oy = 0; oy < ho; oy++)
        {
            var r0 = padded.Slice(oy * sy * row, 3 * row);
            var r1 = r0.Slice(row);
            var r2 = r0.Slice(2 * row);
            for (int ox = 0; ox < wv; ox += v)
            {
                var acc = b;
                // Same order of additions as the general loop: row by row, tap by tap.
                acc += new Vector<float>(r0.Slice(t0 + ox, v)) * k0;
                acc += new Vector<float>(r0.Slice(t1 + ox, v)) * k1;
                acc += new Vector<float>(r0.Slice(t2 + ox, v)) * k2;
                acc += new Vector<float>(r1.Slice(t0 + ox, v)) * k3;
                acc += new Vector<float>(r1.Slice(t1 + ox, v)) * k4;
                acc += new Vector<float>(r1.Slice(t2 + ox, v)) * k5;
                acc += new Vector<float>(r2.Slice(t0 + ox, v)) * k6;
                acc += new Vector<float>(r2.Slice(t1 + ox, v)) * k7;
                acc += new Vector<float>(r2.Slice(t2 + ox, v)) * k8;
                acc.CopyTo(tmp.Slice(ox, v));
            }
            tmp[..wo].CopyTo(dst.Slice(oy * wo, wo));
        }
    }
}
