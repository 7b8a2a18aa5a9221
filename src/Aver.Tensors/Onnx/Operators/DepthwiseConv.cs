using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace Aver.Tensors.Onnx;

/// <summary>
/// Inference-only depthwise 2-d convolution (groups = channels = output channels, weight [C, 1, kh, kw]) with
/// separate begin/end padding, computed directly: each output row accumulates kh x kw shifted input rows
/// scaled by one weight (vectorised for stride 1). The general grouped convolution runs one matrix product
/// of a single row per channel, which for MobileNet-style networks (BlazeFace) costs several times more;
/// this path is taken only when no gradient is needed.
/// </summary>
internal static class DepthwiseConv
{
    /// <summary>Whether <see cref="Forward"/> applies: 2-d, depthwise, unit dilation, and nothing to differentiate.</summary>
    public static bool Applies(Tensor x, Tensor w, Tensor? b, int groups, int[] dilation) =>
        x.Rank == 4 && w.Rank == 4 && groups == x.Dim(1) && w.Dim(0) == groups && w.Dim(1) == 1
        && dilation.All(d => d == 1)
        && !(GradMode.IsEnabled && (x.RequiresGrad || w.RequiresGrad || (b?.RequiresGrad ?? false)));

    /// <summary>x [N, C, H, W], w [C, 1, kh, kw], bias [C] or null -> [N, C, Ho, Wo].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            var src = xd.AsSpan(plane * h * wd, h * wd);
            var dst = y.AsSpan(plane * ho * wo, ho * wo);
            if (sx == 1)
            {
                StrideOneRows(src, h, wd, wdata.AsSpan(ch * kh * kw, kh * kw), kh, kw, sy, pt, pl, bd?[ch] ?? 0f, dst, ho, wo);
                return;
            }
            if (bd is not null) dst.Fill(bd[ch]);
            for (int oy = 0; oy < ho; oy++)
            {
                var row = dst.Slice(oy * wo, wo);
                for (int ky = 0; ky < kh; ky++)
                {
                    int iy = oy * sy + ky - pt;
                    if ((uint)iy >= (uint)h) continue;
                    var inRow = src.Slice(iy * wd, wd);
                    for (int kx = 0; kx < kw; kx++)
                    {
                        float k = wdata[(ch * kh + ky) * kw + kx];
                        // Output columns whose input column ox * sx + kx - pl lies inside the row.
                        int lo = Math.Max(0, CeilDiv(pl - kx, sx)), hi = Math.Min(wo - 1, FloorDiv(wd - 1 + pl - kx, sx));
                        if (hi < lo) continue;
                        if (sx == 1)
                        {
                            var o = row.Slice(lo, hi - lo + 1);
                            TensorPrimitives.MultiplyAdd(inRow.Slice(lo + kx - pl, o.Length), k, o, o);
                        }
                        else
                            for (int ox = lo; ox <= hi; ox++) row[ox] += k * inRow[ox * sx + kx - pl];
                    }
                }
            }
        });
        return new Tensor(y, n, c, ho, wo);
    }

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
    private static int CeilDiv(int a, int b) => -FloorDiv(-a, b);

    /// <summary>
    /// Unit horizontal stride: the plane is copied once into a zero-bordered scratch (the padding, plus room
    /// for whole vectors past the right edge), then each output row is built in one pass, a vector of
    /// outputs at a time accumulating all kh x kw taps in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StrideOneRows(ReadOnlySpan<float> src, int h, int wd, ReadOnlySpan<float> k, int kh, int kw, int sy, int pt, int pl,
        float bias, Span<float> dst, int ho, int wo)
    {
        int v = System.Numerics.Vector<float>.Count;
        int wv = (wo + v - 1) / v * v, pw = wv + kw - 1, ph = (ho - 1) * sy + kh;
        var pool = System.Buffers.ArrayPool<float>.Shared;
        var scratch = pool.Rent(ph * pw + wv);
        try
        {
            var padded = scratch.AsSpan(0, ph * pw);
            padded.Clear();
            int cols = Math.Min(wd, pw - pl);
            for (int iy = 0; iy < h; iy++)
            {
                int py = iy + pt;
                if (py >= 0 && py < ph && cols > 0) src.Slice(iy * wd, cols).CopyTo(padded.Slice(py * pw + pl, cols));
            }
            var tmp = scratch.AsSpan(ph * pw, wv);
            for (int oy = 0; oy < ho; oy++)
            {
                for (int ox = 0; ox < wv; ox += v)
                {
                    var acc = new System.Numerics.Vector<float>(bias);
                    for (int ky = 0; ky < kh; ky++)
                    {
                        var prow = padded.Slice((oy * sy + ky) * pw + ox);
                        for (int kx = 0; kx < kw; kx++)
                            acc += new System.Numerics.Vector<float>(prow.Slice(kx, v)) * k[ky * kw + kx];
                    }
                    acc.CopyTo(tmp.Slice(ox, v));
                }
                tmp[..wo].CopyTo(dst.Slice(oy * wo, wo));
            }
        }
        finally { pool.Return(scratch); }
    }
}
