using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Aver.Tensors;

/// <summary>
/// Per-dimension averaging boxes: output index o of dimension i averages input indices
/// [Lo[i][o], Hi[i][o]) and its divisor is the product over dimensions of Factor[i][o].
/// Both average pooling and adaptive average pooling reduce to this.
/// </summary>
internal sealed class AverageBoxes
{
    public readonly int[] In = new int[3], Out = new int[3];
    public readonly int[][] Lo = new int[3][], Hi = new int[3][], Factor = new int[3][];

    /// <summary>PyTorch's avg_pool: windows of the padded input, clipped; the divisor counts padding when <paramref name="countIncludePad"/>.</summary>
    public static AverageBoxes Pooling(Window w, bool countIncludePad)
    {
        var b = new AverageBoxes();
        for (int i = 0; i < 3; i++)
        {
            b.Init(i, w.In[i], w.Out[i]);
            for (int o = 0; o < w.Out[i]; o++)
            {
                int start = o * w.Stride[i] - w.Padding[i];
                int end = Math.Min(start + w.Kernel[i], w.In[i] + w.Padding[i]);
                int padded = end - start;
                start = Math.Max(start, 0); end = Math.Min(end, w.In[i]);
                b.Lo[i][o] = start; b.Hi[i][o] = end;
                b.Factor[i][o] = countIncludePad ? padded : end - start;
            }
        }
        return b;
    }

    /// <summary>PyTorch's adaptive_avg_pool: output o covers [floor(o in / out), ceil((o + 1) in / out)).</summary>
    public static AverageBoxes Adaptive(int[] input, int[] output)
    {
        var b = new AverageBoxes();
        for (int i = 0; i < 3; i++)
        {
            b.Init(i, input[i], output[i]);
            for (int o = 0; o < output[i]; o++)
            {
                int start = (int)((long)o * input[i] / output[i]);
                int end = (int)(((long)(o + 1) * input[i] + output[i] - 1) / output[i]);
                b.Lo[i][o] = start; b.Hi[i][o] = end; b.Factor[i][o] = end - start;
            }
        }
        return b;
    }

    private void Init(int i, int input, int output)
    {
        In[i] = input; Out[i] = output;
        Lo[i] = new int[output]; Hi[i] = new int[output]; Factor[i] = new int[output];
    }

    public int InVolume => In[0] * In[1] * In[2];
    public int OutVolume => Out[0] * Out[1] * Out[2];
}

/// <summary>Pooling kernels over [planes, d, h, w] (planes = N * C), parallel over planes.</summary>
internal static class PoolKernels
{
    /// <summary>Max over each window; <paramref name="argmax"/> receives the winning input offset within the plane (-1 when the window is all padding).</summary>
    public static void MaxForward(Window w, int planes, float[] x, float[] y, int[] argmax)
    {
        if (w.In[0] == 1 && w.Kernel[0] == 1 && w.Dilation[1] == 1 && w.Dilation[2] == 1) { MaxForwardPlanar(w, planes, x, y, argmax); return; }
        Engine.For(planes, plane =>
        {
            // Geometry in locals: the JIT keeps them in registers across the six nested loops.
            int id0 = w.In[0], ih0 = w.In[1], iw0 = w.In[2], od0 = w.Out[0], oh0 = w.Out[1], ow0 = w.Out[2];
            int kd0 = w.Kernel[0], kh0 = w.Kernel[1], kw0 = w.Kernel[2];
            int sd = w.Stride[0], sh = w.Stride[1], sw = w.Stride[2];
            int pd = w.Padding[0], ph = w.Padding[1], pw = w.Padding[2];
            int dd = w.Dilation[0], dh = w.Dilation[1], dw = w.Dilation[2];
            var src = x.AsSpan(plane * w.InVolume, w.InVolume);
            int at = plane * w.OutVolume;
            for (int od = 0; od < od0; od++)
            for (int oh = 0; oh < oh0; oh++)
            for (int ow = 0; ow < ow0; ow++, at++)
            {
                float best = float.NegativeInfinity; int bestAt = -1;
                for (int kd = 0; kd < kd0; kd++)
                {
                    int id = od * sd - pd + kd * dd;
                    if ((uint)id >= (uint)id0) continue;
                    for (int kh = 0; kh < kh0; kh++)
                    {
                        int ih = oh * sh - ph + kh * dh;
                        if ((uint)ih >= (uint)ih0) continue;
                        int rowAt = (id * ih0 + ih) * iw0;
                        for (int kw = 0, iw = ow * sw - pw; kw < kw0; kw++, iw += dw)
                        {
                            if ((uint)iw >= (uint)iw0) continue;
                            float v = src[rowAt + iw];
                            // PyTorch's rule: NaN wins, so it propagates.
                            if (v > best || bestAt < 0 || float.IsNaN(v)) { best = v; bestAt = rowAt + iw; if (float.IsNaN(v)) goto done; }
                        }
                    }
                }
            done:
                y[at] = best;
                argmax[at] = bestAt;
            }
        });
    }

    /// <summary>
    /// <see cref="MaxForward"/> for 1d and 2d windows without dilation (ResNet's 3x3/2 stem pool):
    /// each window's rows and columns clipped to the plane once, so the inner loop has no bounds
    /// tests; about 20x faster than the general six-loop walk on [32, 64, 56, 56].
    /// </summary>
    private static void MaxForwardPlanar(Window w, int planes, float[] x, float[] y, int[] argmax)
    {
        int ih0 = w.In[1], iw0 = w.In[2], oh0 = w.Out[1], ow0 = w.Out[2], inVol = w.InVolume, outVol = w.OutVolume;
        var (rowLo, rowHi) = Clipped(oh0, ih0, w.Kernel[1], w.Stride[1], w.Padding[1]);
        var (colLo, colHi) = Clipped(ow0, iw0, w.Kernel[2], w.Stride[2], w.Padding[2]);
        if (x.Length < planes * inVol || y.Length < planes * outVol || argmax.Length < planes * outVol)
            throw new ArgumentException("MaxForward: buffers smaller than the planes");
        Engine.For(planes, plane =>
        {
            ref float src = ref x[plane * inVol];
            int at = plane * outVol;
            for (int oh = 0; oh < oh0; oh++)
            for (int ow = 0; ow < ow0; ow++, at++)
            {
                int r0 = rowLo[oh], r1 = rowHi[oh], c0 = colLo[ow], c1 = colHi[ow];
                if (r0 == r1 || c0 == c1) { y[at] = float.NegativeInfinity; argmax[at] = -1; continue; }
                // Branch-free running max (selects, not jumps: which tap wins is unpredictable);
                // a NaN anywhere in the window is caught once at the end.
                int bestAt = r0 * iw0 + c0;
                float best = Unsafe.Add(ref src, bestAt);
                bool nan = false;
                for (int ih = r0; ih < r1; ih++)
                    for (int i = ih * iw0 + c0, end = ih * iw0 + c1; i < end; i++)
                    {
                        float v = Unsafe.Add(ref src, i);
                        bool more = v > best;
                        best = more ? v : best;
                        bestAt = more ? i : bestAt;
                        nan |= float.IsNaN(v);
                    }
                if (nan) (best, bestAt) = FirstNaN(ref src, iw0, r0, r1, c0, c1);
                y[at] = best;
                argmax[at] = bestAt;
            }
        });
    }

    // PyTorch's rule: NaN wins, so it propagates; the first NaN of the window is the one taken.
    private static (float, int) FirstNaN(ref float src, int width, int r0, int r1, int c0, int c1)
    {
        for (int ih = r0; ih < r1; ih++)
            for (int i = ih * width + c0; i < ih * width + c1; i++)
                if (float.IsNaN(Unsafe.Add(ref src, i))) return (float.NaN, i);
        throw new InvalidOperationException("unreachable: the window held a NaN");
    }

    /// <summary>Per output index, the input range [lo, hi) its window covers inside [0, size).</summary>
    private static (int[] Lo, int[] Hi) Clipped(int outSize, int size, int kernel, int stride, int padding)
    {
        var lo = new int[outSize]; var hi = new int[outSize];
        for (int o = 0; o < outSize; o++)
        {
            int start = o * stride - padding;
            lo[o] = Math.Max(0, start); hi[o] = Math.Max(lo[o], Math.Min(size, start + kernel));
        }
        return (lo, hi);
    }

    public static void MaxBackward(Window w, int planes, int[] argmax, float[] gy, float[] gx)
    {
        Engine.For(planes, plane =>
        {
            int inAt = plane * w.InVolume, outAt = plane * w.OutVolume;
            for (int i = 0; i < w.OutVolume; i++)
            {
                int a = argmax[outAt + i];
                if (a >= 0) gx[inAt + a] += gy[outAt + i];
            }
        });
    }

    /// <summary>y = the mean of each box of x.</summary>
    public static void AverageForward(AverageBoxes b, int planes, float[] x, float[] y) => ForEachBox<Mean>(b, planes, x, y);

    /// <summary>Adds gy / divisor onto every input of each box.</summary>
    public static void AverageBackward(AverageBoxes b, int planes, float[] gy, float[] gx) => ForEachBox<Spread>(b, planes, gx, gy);

    // The two directions of averaging share one walk over the boxes; the operator says what
    // happens between a row of the box (in the input plane) and the output cell.
    private interface IBoxOp
    {
        static abstract void Begin(ref float cell);
        static abstract void Row(Span<float> row, ref float cell, float scale);
    }

    private readonly struct Mean : IBoxOp
    {
        public static void Begin(ref float cell) => cell = 0f;
        public static void Row(Span<float> row, ref float cell, float scale) => cell += scale * TensorPrimitives.Sum(row);
    }

    private readonly struct Spread : IBoxOp
    {
        public static void Begin(ref float cell) { }
        public static void Row(Span<float> row, ref float cell, float scale) => TensorPrimitives.Add(row, scale * cell, row);
    }

    private static void ForEachBox<TOp>(AverageBoxes b, int planes, float[] input, float[] output) where TOp : struct, IBoxOp
    {
        Engine.For(planes, plane =>
        {
            var src = input.AsSpan(plane * b.InVolume, b.InVolume);
            int at = plane * b.OutVolume;
            for (int od = 0; od < b.Out[0]; od++)
            for (int oh = 0; oh < b.Out[1]; oh++)
            for (int ow = 0; ow < b.Out[2]; ow++, at++)
            {
                float scale = 1f / Divisor(b, od, oh, ow);
                int lo = b.Lo[2][ow], width = b.Hi[2][ow] - lo;
                TOp.Begin(ref output[at]);
                for (int id = b.Lo[0][od]; id < b.Hi[0][od]; id++)
                for (int ih = b.Lo[1][oh]; ih < b.Hi[1][oh]; ih++)
                    TOp.Row(src.Slice((id * b.In[1] + ih) * b.In[2] + lo, width), ref output[at], scale);
            }
        });
    }

    private static float Divisor(AverageBoxes b, int od, int oh, int ow) =>
        Math.Max(1, b.Factor[0][od] * b.Factor[1][oh] * b.Factor[2][ow]);
}
