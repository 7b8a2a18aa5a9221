namespace Aver.Tensors.Kernels;

/// <summary>
/// Im2col for 2-D windows of stride 2 (ResNet's stem and its 3x3/2 layers) through the input's four phase planes,
/// P_ab[i, j] = x[2i + a, 2j + b]. Tap (kh, kw) of output (oh, ow) reads x[2 oh + kh - p, ...], which is
/// P_ab[oh + dr, ow + dc] with a = (kh - p) mod 2 and dr = (kh - p - a) / 2: a unit-stride shift of one plane. So a
/// column row is a shifted copy of a plane, long contiguous runs where the strided gather moved one output row
/// (14 floats at ResNet-18's 14x14 stage) at a time. The planes are ceil(H/2) x ceil(W/2), zero where 2i + a or
/// 2j + b falls outside the input, so the windows' padding stays zero. Splitting costs one pass over the input; the
/// adjoint (<see cref="FoldAdd"/>, <see cref="MergeAdd"/>) gathers column gradients into plane gradients, then
/// back onto the input.
/// </summary>
internal static class PhasePlanes
{
    /// <summary>True for windows this serves: 2-D (no depth), stride 2 in height and width, no dilation, one float per position.</summary>
    public static bool Applies(Window w) =>
        w.In[0] == 1 && w.Kernel[0] == 1 && w.Stride[0] == 1 && w.Stride[1] == 2 && w.Stride[2] == 2
        && w.Dilation[1] == 1 && w.Dilation[2] == 1 && w.Block == 1;

    public static int Height(Window w) => (w.In[1] + 1) / 2;
    public static int Width(Window w) => (w.In[2] + 1) / 2;

    /// <summary>Floats of the planes of <paramref name="channels"/> channels: [channels][4][H/2][W/2] (sizes rounded up).</summary>
    public static int Floats(Window w, int channels) => channels * 4 * Height(w) * Width(w);

    /// <summary>The shift window of each tap (kh, kw), row-major, and the phase (2a + b) it reads.</summary>
    public static (Window Shift, int Phase)[] Taps(Window w)
    {
        int kh0 = w.Kernel[1], kw0 = w.Kernel[2];
        var taps = new (Window, int)[kh0 * kw0];
        for (int kh = 0; kh < kh0; kh++)
            for (int kw = 0; kw < kw0; kw++)
            {
                int r = kh - w.Padding[1], c = kw - w.Padding[2];
                int a = r & 1, b = c & 1;
                taps[kh * kw0 + kw] = (Window.Shift(Height(w), Width(w), w.Out[1], w.Out[2], (r - a) / 2, (c - b) / 2), 2 * a + b);
            }
        return taps;
    }

    /// <summary>The phase planes of <paramref name="x"/> ([channels, H, W] of one sample) into <paramref name="planes"/>.</summary>
    public static void Split(Window w, ReadOnlySpan<float> x, int channels, Span<float> planes)
    {
        int h = w.In[1], wd = w.In[2], h2 = Height(w), w2 = Width(w), plane = h2 * w2;
        // Every cell is written below unless an odd height or width leaves the last row or column of some planes empty.
        if (((h | wd) & 1) != 0) planes[..Floats(w, channels)].Clear();
        for (int c = 0; c < channels; c++)
            for (int row = 0; row < h; row++)
            {
                int a = row & 1, i = row >> 1;
                var src = x.Slice((c * h + row) * wd, wd);
                int at = (c * 4 + 2 * a) * plane + i * w2;
                SplitRow(src, planes.Slice(at, w2), planes.Slice(at + plane, w2));
            }
    }

    /// <summary>x += the phase planes' values put back at their input positions (the adjoint of <see cref="Split"/>).</summary>
    public static void MergeAdd(Window w, ReadOnlySpan<float> planes, int channels, Span<float> x)
    {
        int h = w.In[1], wd = w.In[2], h2 = Height(w), w2 = Width(w), plane = h2 * w2;
        for (int c = 0; c < channels; c++)
            for (int row = 0; row < h; row++)
            {
                int a = row & 1, i = row >> 1;
                int at = (c * 4 + 2 * a) * plane + i * w2;
                MergeRowAdd(planes.Slice(at, w2), planes.Slice(at + plane, w2), x.Slice((c * h + row) * wd, wd));
            }
    }

    /// <summary>Column rows [c, kh, kw] of output rows [rowStart, rowEnd), <paramref name="ld"/> apart (0: their length), from the planes.</summary>
    public static void Unfold((Window Shift, int Phase)[] taps, Window w, ReadOnlySpan<float> planes, int channels, int rowStart, int rowEnd, Span<float> col, int ld = 0)
    {
        int plane = Height(w) * Width(w), cols = (rowEnd - rowStart) * w.Out[2];
        if (ld == 0) ld = cols;
        for (int c = 0, row = 0; c < channels; c++)
            foreach (var (shift, phase) in taps)
                Im2Col.Unfold(shift, planes.Slice((c * 4 + phase) * plane, plane), 1, rowStart, rowEnd, col.Slice(row++ * ld, cols));
    }

    /// <summary>Adds column rows back onto the plane gradients (the adjoint of <see cref="Unfold"/>); <paramref name="col"/> is scratch.</summary>
    public static void FoldAdd((Window Shift, int Phase)[] taps, Window w, ReadOnlySpan<float> col, int channels, int rowStart, int rowEnd, Span<float> planes, int ld = 0)
    {
        int plane = Height(w) * Width(w), cols = (rowEnd - rowStart) * w.Out[2];
        if (ld == 0) ld = cols;
        for (int c = 0, row = 0; c < channels; c++)
            foreach (var (shift, phase) in taps)
                Im2Col.FoldAdd(shift, col.Slice(row++ * ld, cols), 1, rowStart, rowEnd, planes.Slice((c * 4 + phase) * plane, plane));
    }

    /// <summary>Even-indexed values of <paramref name="src"/> into <paramref name="even"/>, odd-indexed into <paramref name="odd"/>.</summary>
    private static void SplitRow(ReadOnlySpan<float> src, Span<float> even, Span<float> odd)
    {
        Im2Col.Gather(src, even[..((src.Length + 1) / 2)], 2);
        Im2Col.Gather(src[1..], odd[..(src.Length / 2)], 2);
    }

    /// <summary>dst[2j] += even[j], dst[2j + 1] += odd[j] (the adjoint of <see cref="SplitRow"/>).</summary>
    private static void MergeRowAdd(ReadOnlySpan<float> even, ReadOnlySpan<float> odd, Span<float> dst)
    {
        Im2Col.ScatterAdd(even[..((dst.Length + 1) / 2)], dst, 2);
        Im2Col.ScatterAdd(odd[..(dst.Length / 2)], dst[1..], 2);
    }
}
