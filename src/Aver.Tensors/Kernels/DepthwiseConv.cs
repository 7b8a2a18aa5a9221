using System.Numerics;
using System.Runtime.CompilerServices;

namespace Aver.Tensors.Kernels;

/// <summary>
/// Depthwise 2-d convolution (groups = channels = output channels, weight [C, 1, kh, kw], unit dilation)
/// with separate begin/end padding, computed directly: each plane is copied once into a zero-bordered scratch whose
/// rows are split by column phase (column c goes to phase c mod sx, so a strided tap reads contiguous floats),
/// then each output row is built a vector of outputs at a time, accumulating all kh x kw taps in registers.
/// The general grouped convolution runs one matrix product of a single row per channel, which for
/// MobileNet-style networks (BlazeFace) costs several times more. <see cref="ConvKernels.Forward"/> takes
/// it for every depthwise convolution it applies to; the ONNX importer calls it with asymmetric padding.
/// </summary>
internal static class DepthwiseConv
{
    /// <summary>Whether <see cref="Forward(ConvPlan, float[], float[], float[], float[])"/> applies: 1-d or 2-d, depthwise, unit dilation.</summary>
    public static bool Applies(ConvPlan p)
    {
        var w = p.Window;
        return p.Groups == p.Channels && p.OutChannels == p.Channels && w.In[0] == 1 && w.Kernel[0] == 1
            && w.Dilation[1] == 1 && w.Dilation[2] == 1;
    }

    /// <summary>The convolution of <paramref name="p"/>'s geometry: x [N, C, H, W], w [C, 1, kh, kw], bias [C] or null -> y [N, C, Ho, Wo].</summary>
    public static void Forward(ConvPlan p, float[] x, float[] w, float[]? bias, float[] y)
    {
        var g = p.Window;
        Forward(x, p.Batch * p.Channels, p.Channels, g.In[1], g.In[2], w, g.Kernel[1], g.Kernel[2], bias,
            g.Stride[1], g.Stride[2], g.Padding[1], g.Padding[2], y, g.Out[1], g.Out[2]);
    }

    /// <summary>
    /// <paramref name="planes"/> planes of h x wd (channel = plane mod <paramref name="channels"/>), padded by
    /// <paramref name="top"/> and <paramref name="left"/> (the end padding is what output size ho x wo needs), into y.
    /// </summary>
    public static void Forward(float[] x, int planes, int channels, int h, int wd, float[] w, int kh, int kw, float[]? bias,
        int sy, int sx, int top, int left, float[] y, int ho, int wo)
    {
        if (x.Length < (long)planes * h * wd || y.Length < (long)planes * ho * wo || w.Length < channels * kh * kw)
            throw new ArgumentException("DepthwiseConv.Forward: buffers smaller than the planes");
        Engine.For(planes, plane =>
        {
            int ch = plane % channels;
            Plane(x.AsSpan(plane * h * wd, h * wd), h, wd, w.AsSpan(ch * kh * kw, kh * kw), kh, kw, sy, sx, top, left,
                bias?[ch] ?? 0f, y.AsSpan(plane * ho * wo, ho * wo), ho, wo);
        });
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
