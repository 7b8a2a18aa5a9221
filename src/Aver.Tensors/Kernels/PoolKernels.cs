using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Aver.Tensors.Kernels;

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

    /// <summary>One box over the whole plane with the plane's size as divisor (global average pooling).</summary>
    public bool IsGlobal
    {
        get
        {
            if (OutVolume != 1) return false;
            for (int i = 0; i < 3; i++)
                if (Lo[i][0] != 0 || Hi[i][0] != In[i] || Factor[i][0] != In[i]) return false;
            return true;
        }
    }
    public int OutVolume => Out[0] * Out[1] * Out[2];
}

/// <summary>Pooling kernels over [planes, d, h, w] (planes = N * C), parallel over planes.</summary>
internal static class PoolKernels
{
    /// <summary>
    /// Max over each window; <paramref name="argmax"/>, when given (a gradient will be needed),
    /// receives the winning input offset within the plane (-1 when the window is all padding).
    /// </summary>
    public static void MaxForward(Window w, int planes, float[] x, float[] y, int[]? argmax)
    {
        if (SeparableMaxPool.Handles(w)) { SeparableMaxPool.Forward(w, planes, x, y, argmax); return; }
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
                if (argmax is not null) argmax[at] = bestAt;
            }
        });
    }

    /// <summary>
    /// gx (+)= the scatter of gy onto each window's winning input. With <paramref name="overwrite"/>
    /// gx is fresh and each plane is cleared first, inside the parallel loop, so the plane is
    /// still in cache for the scatter (one pass over gx instead of a zero-fill and a scatter).
    /// </summary>
    public static void MaxBackward(Window w, int planes, int[] argmax, float[] gy, float[] gx, bool overwrite)
    {
        int inVol = w.InVolume, outVol = w.OutVolume;
        if (gx.Length < (long)planes * inVol || gy.Length < (long)planes * outVol || argmax.Length < (long)planes * outVol)
            throw new ArgumentException("MaxBackward: buffers smaller than the planes");
        // Chunks of planes: a plane (12 KB at 56x56) is too small a task alone.
        int chunks = Math.Min(planes, Engine.Threads * 8);
        Engine.For(chunks, chunk =>
        {
            int first = (int)((long)planes * chunk / chunks), last = (int)((long)planes * (chunk + 1) / chunks);
            for (int plane = first; plane < last; plane++)
                Scatter(argmax.AsSpan(plane * outVol, outVol), gy.AsSpan(plane * outVol, outVol), gx.AsSpan(plane * inVol, inVol), overwrite);
        });
    }

    // Optimised from the first call: tier-0 code would run the first batches several times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scatter(ReadOnlySpan<int> idx, ReadOnlySpan<float> src, Span<float> dst, bool overwrite)
    {
        if (overwrite) dst.Clear();
        for (int i = 0; i < src.Length; i++)
        {
            int a = idx[i];
            if ((uint)a < (uint)dst.Length) dst[a] += src[i];
        }
    }

    /// <summary>y = the mean of each box of x.</summary>
    public static void AverageForward(AverageBoxes b, int planes, float[] x, float[] y)
    {
        if (!b.IsGlobal) { ForEachBox<Mean>(b, planes, x, y); return; }
        int volume = b.InVolume;
        float scale = 1f / volume;
        ForPlaneChunks(planes, volume, (first, last) =>
        {
            for (int p = first; p < last; p++) y[p] = TensorPrimitives.Sum(x.AsSpan(p * volume, volume)) * scale;
        });
    }

    /// <summary>Adds gy / divisor onto every input of each box.</summary>
    public static void AverageBackward(AverageBoxes b, int planes, float[] gy, float[] gx)
    {
        if (!b.IsGlobal) { ForEachBox<Spread>(b, planes, gx, gy); return; }
        int volume = b.InVolume;
        float scale = 1f / volume;
        ForPlaneChunks(planes, volume, (first, last) =>
        {
            for (int p = first; p < last; p++)
            {
                var plane = gx.AsSpan(p * volume, volume);
                TensorPrimitives.Add(plane, gy[p] * scale, plane);
            }
        });
    }

    /// <summary>
    /// Runs <paramref name="body"/>(first, last) over chunks of at least 64K input floats: global
    /// pooling's planes (16 floats in ResNet's last stage) are far too small to be tasks alone.
    /// </summary>
    private static void ForPlaneChunks(int planes, int volume, Action<int, int> body)
    {
        if (planes <= 0) return;
        int chunks = (int)Math.Clamp((long)planes * volume / 65536, 1, Math.Min(planes, Engine.Threads * 4));
        Engine.For(chunks, chunk => body((int)((long)planes * chunk / chunks), (int)((long)planes * (chunk + 1) / chunks)));
    }

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
