using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Aver.Tensors;

/// <summary>
/// Unfolds sliding windows into a column matrix so a convolution becomes one matrix product,
/// and folds such a matrix back (the adjoint, for the input gradient).
/// The column matrix is [channels * kd * kh * kw, od * oh * ow]: row (c, kd, kh, kw) holds the
/// input value under that kernel tap for every output position, zero where it falls in padding.
/// </summary>
internal static class Im2Col
{
    /// <summary>Fills <paramref name="col"/> from <paramref name="input"/> ([channels, d, h, w] of one sample).</summary>
    public static void Unfold(Window w, ReadOnlySpan<float> input, int channels, Span<float> col)
        => Walk<Copy>(w, channels, input, col, default);

    /// <summary>Adds the columns of <paramref name="col"/> back onto <paramref name="input"/> (col2im).</summary>
    public static void FoldAdd(Window w, ReadOnlySpan<float> col, int channels, Span<float> input)
        => Walk<Add>(w, channels, input, MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(col), col.Length), default);

    // One loop for both directions, specialised per direction by the JIT: the operator moves a
    // run of in-bounds values between an input row and a column row (strided on the input side).
    private interface IRun
    {
        void Run(Span<float> input, Span<float> col, int stride);
        void Padding(Span<float> col);
    }

    private readonly struct Copy : IRun
    {
        public void Run(Span<float> input, Span<float> col, int stride)
        {
            if (stride == 1) input[..col.Length].CopyTo(col);
            else for (int i = 0; i < col.Length; i++) col[i] = input[i * stride];
        }
        public void Padding(Span<float> col) => col.Clear();
    }

    private readonly struct Add : IRun
    {
        public void Run(Span<float> input, Span<float> col, int stride)
        {
            if (stride == 1) { var dst = input[..col.Length]; TensorPrimitives.Add(dst, col, dst); }
            else for (int i = 0; i < col.Length; i++) input[i * stride] += col[i];
        }
        public void Padding(Span<float> col) { }
    }

    private static void Walk<TRun>(Window w, int channels, ReadOnlySpan<float> inputRO, Span<float> colRW, TRun op) where TRun : struct, IRun
    {
        // Copy only reads the input and Add only reads the columns; one writable signature keeps one loop.
        var input = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(inputRO), inputRO.Length);
        var col = colRW;
        int id0 = w.In[0], ih0 = w.In[1], iw0 = w.In[2];
        int od0 = w.Out[0], oh0 = w.Out[1], ow0 = w.Out[2];
        int kd0 = w.Kernel[0], kh0 = w.Kernel[1], kw0 = w.Kernel[2];
        int sd = w.Stride[0], sh = w.Stride[1], sw = w.Stride[2];
        int pd = w.Padding[0], ph = w.Padding[1], pw = w.Padding[2];
        int dd = w.Dilation[0], dh = w.Dilation[1], dw = w.Dilation[2];
        int inVol = w.InVolume, outVol = w.OutVolume;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            var plane = input.Slice(c * inVol, inVol);
            for (int kd = 0; kd < kd0; kd++)
            for (int kh = 0; kh < kh0; kh++)
            for (int kw = 0; kw < kw0; kw++, row++)
            {
                var dst = col.Slice(row * outVol, outVol);
                // Output columns ow whose input column iw = ow*sw + off lies inside [0, iw0).
                int off = kw * dw - pw;
                int lo = off >= 0 ? 0 : Math.Min(ow0, (-off + sw - 1) / sw);
                int hi = iw0 - 1 - off < 0 ? 0 : Math.Min(ow0, (iw0 - 1 - off) / sw + 1);
                if (hi < lo) hi = lo;
                int at = 0;
                for (int od = 0; od < od0; od++)
                {
                    int id = od * sd - pd + kd * dd;
                    if ((uint)id >= (uint)id0) { op.Padding(dst.Slice(at, oh0 * ow0)); at += oh0 * ow0; continue; }
                    for (int oh = 0; oh < oh0; oh++, at += ow0)
                    {
                        int ih = oh * sh - ph + kh * dh;
                        var line = dst.Slice(at, ow0);
                        if ((uint)ih >= (uint)ih0) { op.Padding(line); continue; }
                        op.Padding(line[..lo]);
                        op.Padding(line[hi..]);
                        if (hi > lo) op.Run(plane.Slice((id * ih0 + ih) * iw0 + lo * sw + off), line[lo..hi], sw);
                    }
                }
            }
        }
    }
}
