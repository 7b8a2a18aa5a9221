using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Aver.Tensors;

/// <summary>
/// Unfolds sliding windows into a column matrix so a convolution becomes one matrix product,
/// and folds such a matrix back (the adjoint, for the input gradient).
/// The column matrix is [channels * kd * kh * kw, positions]: row (c, kd, kh, kw) holds the
/// input value under that kernel tap for every output position, zero where it falls in padding.
/// The positions are the output rows (od, oh) in [<c>rowStart</c>, <c>rowEnd</c>) times every ow,
/// so callers can unfold a slice of the output that fits in cache. Rows of the column matrix are
/// <c>ld</c> apart (default: the number of positions), so several samples can sit side by side.
/// </summary>
internal static class Im2Col
{
    /// <summary>Fills <paramref name="col"/> from <paramref name="input"/> ([channels, d, h, w] of one sample).</summary>
    public static void Unfold(Window w, ReadOnlySpan<float> input, int channels, int rowStart, int rowEnd, Span<float> col, int ld = 0)
        => Walk<Copy>(w, channels, rowStart, rowEnd, Writable(input), col, ld);

    /// <summary>Adds the columns of <paramref name="col"/> back onto <paramref name="input"/> (col2im).</summary>
    public static void FoldAdd(Window w, ReadOnlySpan<float> col, int channels, int rowStart, int rowEnd, Span<float> input, int ld = 0)
        => Walk<Add>(w, channels, rowStart, rowEnd, input, Writable(col), ld);

    // Copy only reads the input and Add only reads the columns; one writable signature keeps one loop.
    private static Span<float> Writable(ReadOnlySpan<float> s) => MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(s), s.Length);

    // One loop for both directions, specialised per direction by the JIT: the operator moves a
    // run of in-bounds values between an input row and a column row (strided on the input side).
    private interface IRun
    {
        static abstract void Run(Span<float> input, Span<float> col, int stride);
        static abstract void Padding(Span<float> col);
    }

    private readonly struct Copy : IRun
    {
        public static void Run(Span<float> input, Span<float> col, int stride)
        {
            if (stride == 1) input[..col.Length].CopyTo(col);
            else for (int i = 0; i < col.Length; i++) col[i] = input[i * stride];
        }
        public static void Padding(Span<float> col) => col.Clear();
    }

    private readonly struct Add : IRun
    {
        public static void Run(Span<float> input, Span<float> col, int stride)
        {
            if (stride == 1) { var dst = input[..col.Length]; TensorPrimitives.Add(dst, col, dst); }
            else for (int i = 0; i < col.Length; i++) input[i * stride] += col[i];
        }
        public static void Padding(Span<float> col) { }
    }

    private static void Walk<TRun>(Window w, int channels, int rowStart, int rowEnd, Span<float> input, Span<float> col, int ld) where TRun : struct, IRun
    {
        int id0 = w.In[0], ih0 = w.In[1], iw0 = w.In[2];
        int oh0 = w.Out[1], ow0 = w.Out[2];
        int kd0 = w.Kernel[0], kh0 = w.Kernel[1], kw0 = w.Kernel[2];
        int sd = w.Stride[0], sh = w.Stride[1], sw = w.Stride[2];
        int pd = w.Padding[0], ph = w.Padding[1], pw = w.Padding[2];
        int dd = w.Dilation[0], dh = w.Dilation[1], dw = w.Dilation[2];
        int inVol = w.InVolume, cols = (rowEnd - rowStart) * ow0;
        if (ld == 0) ld = cols;
        int row = 0;
        for (int c = 0; c < channels; c++)
        {
            var plane = input.Slice(c * inVol, inVol);
            for (int kd = 0; kd < kd0; kd++)
            for (int kh = 0; kh < kh0; kh++)
            for (int kw = 0; kw < kw0; kw++, row++)
            {
                var dst = col.Slice(row * ld, cols);
                // Output columns ow whose input column iw = ow*sw + off lies inside [0, iw0).
                int off = kw * dw - pw;
                int lo = off >= 0 ? 0 : Math.Min(ow0, (-off + sw - 1) / sw);
                int hi = iw0 - 1 - off < 0 ? 0 : Math.Min(ow0, (iw0 - 1 - off) / sw + 1);
                if (hi < lo) hi = lo;
                for (int r = rowStart, at = 0; r < rowEnd; r++, at += ow0)
                {
                    int od = r / oh0, oh = r - od * oh0;
                    int id = od * sd - pd + kd * dd, ih = oh * sh - ph + kh * dh;
                    var line = dst.Slice(at, ow0);
                    if ((uint)id >= (uint)id0 || (uint)ih >= (uint)ih0) { TRun.Padding(line); continue; }
                    TRun.Padding(line[..lo]);
                    TRun.Padding(line[hi..]);
                    if (hi > lo) TRun.Run(plane.Slice((id * ih0 + ih) * iw0 + lo * sw + off), line[lo..hi], sw);
                }
            }
        }
    }
}
