using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aver.Tensors.Kernels;

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

    /// <summary>
    /// Adds the columns of <paramref name="col"/> back onto <paramref name="input"/> (col2im).
    /// <paramref name="col"/> is scratch: its entries at padding positions may be zeroed.
    /// </summary>
    public static void FoldAdd(Window w, ReadOnlySpan<float> col, int channels, int rowStart, int rowEnd, Span<float> input, int ld = 0)
        => Walk<Add>(w, channels, rowStart, rowEnd, input, Writable(col), ld);

    /// <summary>col[i] = input[i * stride]: the strided gather im2col moves a run with (vectorised for stride 2).</summary>
    public static void Gather(ReadOnlySpan<float> input, Span<float> col, int stride) => Copy.Run(Writable(input), col, stride, 1);

    /// <summary>input[i * stride] += col[i]: the adjoint of <see cref="Gather"/>.</summary>
    public static void ScatterAdd(ReadOnlySpan<float> col, Span<float> input, int stride) => Add.Run(input, Writable(col), stride, 1);

    // Copy only reads the input; Add writes the input and only zeroes padding entries of the scratch columns. One writable signature keeps one loop.
    private static Span<float> Writable(ReadOnlySpan<float> s) => MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(s), s.Length);

    // One loop for both directions, specialised per direction by the JIT: the operator moves a
    // run of in-bounds values between an input row and a column row (strided on the input side),
    // or, for unit-stride windows whose output rows are as long as the input rows, a whole block of
    // rows at once as one shifted contiguous run (see Walk).
    private interface IRun
    {
        /// <summary>Moves col.Length / block blocks of <paramref name="block"/> floats, the input blocks <paramref name="stride"/> blocks apart.</summary>
        static abstract void Run(Span<float> input, Span<float> col, int stride, int block);
        static abstract void Padding(Span<float> col);
        /// <summary>Moves a block of whole rows; <paramref name="col"/> positions outside [lo, hi) of each row of <paramref name="width"/> belong to the padding.</summary>
        static abstract void Block(Span<float> input, Span<float> col, int skip, int width, int lo, int hi);
    }

    private readonly struct Copy : IRun
    {
        public static void Run(Span<float> input, Span<float> col, int stride, int block)
        {
            if (stride == 1) { input[..col.Length].CopyTo(col); return; }
            if (col.Length == 0) return;
            _ = input[(col.Length - block) * stride + block - 1];
            ref float src = ref MemoryMarshal.GetReference(input);
            ref float dst = ref MemoryMarshal.GetReference(col);
            if (block > 1)
            {
                for (int j = 0; j < col.Length; j += block)
                    for (int b = 0; b < block; b++) Unsafe.Add(ref dst, j + b) = Unsafe.Add(ref src, j * stride + b);
                return;
            }
            int i = 0;
            if (stride == 2 && Avx512F.IsSupported && Engine.Isa >= IsaPath.Avx512)
            {   // the even of 32 consecutive inputs, 16 at a time (ResNet's stem and 3x3/2 layers)
                var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
                for (; i <= col.Length - 16 && 2 * i + 32 <= input.Length; i += 16)
                    Avx512F.PermuteVar16x32x2(Vector512.LoadUnsafe(ref src, (nuint)(2 * i)), even, Vector512.LoadUnsafe(ref src, (nuint)(2 * i + 16)))
                        .StoreUnsafe(ref dst, (nuint)i);
            }
            else if (stride == 2 && Avx2.IsSupported && Engine.Isa >= IsaPath.Avx2)
            {   // the even of 16 consecutive inputs, 8 at a time: [a0 a2 b0 b2 | a4 a6 b4 b6], then the middle pairs swapped
                for (; i <= col.Length - 8 && 2 * i + 16 <= input.Length; i += 8)
                {
                    var pairs = Avx.Shuffle(Vector256.LoadUnsafe(ref src, (nuint)(2 * i)), Vector256.LoadUnsafe(ref src, (nuint)(2 * i + 8)), 0x88);
                    Avx2.Permute4x64(pairs.AsDouble(), 0xD8).AsSingle().StoreUnsafe(ref dst, (nuint)i);
                }
            }
            for (; i < col.Length; i++) Unsafe.Add(ref dst, i) = Unsafe.Add(ref src, i * stride);
        }
        public static void Padding(Span<float> col) => col.Clear();
        public static void Block(Span<float> input, Span<float> col, int skip, int width, int lo, int hi)
        {
            input.CopyTo(col[skip..]);
            ZeroEdges(col, width, lo, hi);
        }
    }

    private readonly struct Add : IRun
    {
        public static void Run(Span<float> input, Span<float> col, int stride, int block)
        {
            if (stride == 1) { var dst = input[..col.Length]; TensorPrimitives.Add(dst, col, dst); return; }
            if (col.Length == 0) return;
            _ = input[(col.Length - block) * stride + block - 1];
            ref float dstRef = ref MemoryMarshal.GetReference(input);
            ref float src = ref MemoryMarshal.GetReference(col);
            if (block > 1)
            {
                for (int j = 0; j < col.Length; j += block)
                    for (int b = 0; b < block; b++) Unsafe.Add(ref dstRef, j * stride + b) += Unsafe.Add(ref src, j + b);
                return;
            }
            int i = 0;
            if (stride == 2 && Avx512F.IsSupported && Engine.Isa >= IsaPath.Avx512)
            {   // 16 columns spread onto the even of 32 inputs: [c0, 0, c1, 0, ...] added to each half
                var low = Vector512.Create(0, 16, 1, 16, 2, 16, 3, 16, 4, 16, 5, 16, 6, 16, 7, 16);
                var high = Vector512.Create(8, 16, 9, 16, 10, 16, 11, 16, 12, 16, 13, 16, 14, 16, 15, 16);
                for (; i <= col.Length - 16 && 2 * i + 32 <= input.Length; i += 16)
                {
                    var c = Vector512.LoadUnsafe(ref src, (nuint)i);
                    (Vector512.LoadUnsafe(ref dstRef, (nuint)(2 * i)) + Avx512F.PermuteVar16x32x2(c, low, Vector512<float>.Zero))
                        .StoreUnsafe(ref dstRef, (nuint)(2 * i));
                    (Vector512.LoadUnsafe(ref dstRef, (nuint)(2 * i + 16)) + Avx512F.PermuteVar16x32x2(c, high, Vector512<float>.Zero))
                        .StoreUnsafe(ref dstRef, (nuint)(2 * i + 16));
                }
            }
            else if (stride == 2 && Avx2.IsSupported && Engine.Isa >= IsaPath.Avx2)
            {   // 8 columns spread onto the even of 16 inputs: pairs reordered (c0 c1)(c4 c5)(c2 c3)(c6 c7), then interleaved with zeros
                for (; i <= col.Length - 8 && 2 * i + 16 <= input.Length; i += 8)
                {
                    var c = Avx2.Permute4x64(Vector256.LoadUnsafe(ref src, (nuint)i).AsDouble(), 0xD8).AsSingle();
                    (Vector256.LoadUnsafe(ref dstRef, (nuint)(2 * i)) + Avx.UnpackLow(c, Vector256<float>.Zero)).StoreUnsafe(ref dstRef, (nuint)(2 * i));
                    (Vector256.LoadUnsafe(ref dstRef, (nuint)(2 * i + 8)) + Avx.UnpackHigh(c, Vector256<float>.Zero)).StoreUnsafe(ref dstRef, (nuint)(2 * i + 8));
                }
            }
            for (; i < col.Length; i++) Unsafe.Add(ref dstRef, i * stride) += Unsafe.Add(ref src, i);
        }
        public static void Padding(Span<float> col) { }
        public static void Block(Span<float> input, Span<float> col, int skip, int width, int lo, int hi)
        {
            // The padding positions of the block would land on the neighbouring row's edge: zero
            // them in the (scratch) columns first, then add the whole block in one vector pass.
            ZeroEdges(col, width, lo, hi);
            var src = col.Slice(skip, input.Length);
            TensorPrimitives.Add(input, src, input);
        }
    }

    /// <summary>Zeroes positions [0, lo) and [hi, width) of every row of <paramref name="width"/> in <paramref name="block"/>.</summary>
    private static void ZeroEdges(Span<float> block, int width, int lo, int hi)
    {
        if (lo == 0 && hi == width) return;
        for (int at = 0; at < block.Length; at += width)
        {
            block.Slice(at, lo).Clear();
            block.Slice(at + hi, width - hi).Clear();
        }
    }

    private static void Walk<TRun>(Window w, int channels, int rowStart, int rowEnd, Span<float> input, Span<float> col, int ld) where TRun : struct, IRun
    {
        int id0 = w.In[0], ih0 = w.In[1], iw0 = w.In[2];
        int oh0 = w.Out[1], ow0 = w.Out[2];
        int kd0 = w.Kernel[0], kh0 = w.Kernel[1], kw0 = w.Kernel[2];
        int sd = w.Stride[0], sh = w.Stride[1], sw = w.Stride[2];
        int pd = w.Padding[0], ph = w.Padding[1], pw = w.Padding[2];
        int dd = w.Dilation[0], dh = w.Dilation[1], dw = w.Dilation[2];
        // A width position is a block of B floats (interleaved samples under a strided window).
        int B = w.Block, rowLen = ow0 * B;
        int inVol = w.InVolume * B, cols = (rowEnd - rowStart) * rowLen;
        if (ld == 0) ld = cols;
        // Unit strides and output rows as long as the input rows ("same" padding, ResNet's 3x3/1):
        // consecutive output rows read consecutive input rows, so a run of rows under one tap is
        // one contiguous shifted copy of the input plane (its wrapped edge columns zeroed), not a
        // short copy per row.
        bool shifted = sw == 1 && sh == 1 && ow0 == iw0 && B == 1;
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
                for (int r = rowStart, at = 0; r < rowEnd;)
                {
                    int od = r / oh0, oh = r - od * oh0;
                    int id = od * sd - pd + kd * dd, ih = oh * sh - ph + kh * dh;
                    if ((uint)id >= (uint)id0 || (uint)ih >= (uint)ih0) { TRun.Padding(dst.Slice(at, rowLen)); r++; at += rowLen; continue; }
                    if (shifted && hi > lo)
                    {
                        // Rows r.. of this depth slice whose input row stays inside the plane.
                        int rows = Math.Min(rowEnd - r, Math.Min(oh0, ih0 + ph - kh * dh) - oh);
                        int len = rows * ow0, start = (id * ih0 + ih) * iw0 + off;
                        // Only padding columns of the first and last row can fall outside the plane.
                        int skip = Math.Max(0, -start), end = Math.Min(len, inVol - start);
                        TRun.Block(plane.Slice(start + skip, end - skip), dst.Slice(at, len), skip, ow0, lo, hi);
                        r += rows; at += len;
                        continue;
                    }
                    var line = dst.Slice(at, rowLen);
                    TRun.Padding(line[..(lo * B)]);
                    TRun.Padding(line[(hi * B)..]);
                    if (hi > lo) TRun.Run(plane.Slice(((id * ih0 + ih) * iw0 + lo * sw + off) * B), line[(lo * B)..(hi * B)], sw, B);
                    r++; at += rowLen;
                }
            }
        }
    }
}
