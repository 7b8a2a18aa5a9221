using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aver.Tensors.Kernels;

/// <summary>
/// Winograd's tiles: the input repacked channel-innermost (<see cref="Pack"/>), each tile's input, output and output-gradient
/// transforms and the input's adjoint, eight channels per vector.
/// </summary>
internal static unsafe partial class Winograd
{
    /// <summary>
    /// Repacks channel block b of sample n (nb = n * blocks + b) as [PackedH][PackedW][8], the
    /// eight channels innermost, with zeros wherever the padded window reaches outside the input.
    /// Eight columns of the eight channel rows at a time are one 8x8 transpose.
    /// </summary>
    private static void Pack(Geometry s, float[] x, int nb, float[] packed)
    {
        int blocks = s.Cin / Lanes, n = nb / blocks, b = nb % blocks;
        int rows = Math.Min(s.H, s.PackedH - s.PadH), cols = Math.Min(s.W, s.PackedW - s.PadW);
        int rowFloats = s.PackedW * Lanes, plane = s.H * s.W;
        var dst = packed.AsSpan(nb * s.PackedBlock, s.PackedBlock);
        // Zero only the padding: the rows above and below, and each input row's two margins.
        dst[..(s.PadH * rowFloats)].Clear();
        dst[((s.PadH + rows) * rowFloats)..].Clear();
        fixed (float* px = x, pd = dst)
        {
            float* src0 = px + (long)(n * s.Cin + b * Lanes) * plane;
            var v = stackalloc Vector256<float>[Lanes];
            for (int r = 0; r < rows; r++)
            {
                float* row = pd + (r + s.PadH) * rowFloats;
                new Span<float>(row, s.PadW * Lanes).Clear();
                new Span<float>(row + (s.PadW + cols) * Lanes, (s.PackedW - s.PadW - cols) * Lanes).Clear();
                float* src = src0 + r * s.W, to = row + s.PadW * Lanes;
                int col = 0;
                for (; col + Lanes <= cols; col += Lanes)
                {
                    for (int c = 0; c < Lanes; c++) v[c] = Vector256.Load(src + c * plane + col);
                    Transpose8x8.InPlace(ref v[0], ref v[1], ref v[2], ref v[3], ref v[4], ref v[5], ref v[6], ref v[7]);
                    for (int k = 0; k < Lanes; k++) v[k].Store(to + (col + k) * Lanes);
                }
                for (; col < cols; col++)
                    for (int c = 0; c < Lanes; c++) to[col * Lanes + c] = src[c * plane + col];
            }
        }
    }

    /// <summary>V[tap][t][channel block] = (B^T d B)[tap] for the 6x6 input tile of tile t, every channel block.</summary>
    private static void InputTile(Geometry s, float* packed, int tile, float* v, int tapStride)
    {
        int n = tile / s.TilesPerImage, r = tile % s.TilesPerImage, ty = r / s.TilesW, tx = r % s.TilesW;
        int blocks = s.Cin / Lanes, rowStride = s.PackedW * Lanes;
        var d = stackalloc Vector256<float>[Taps];
        for (int b = 0; b < blocks; b++)
        {
            float* origin = packed + (long)(n * blocks + b) * s.PackedBlock + (ty * 4 * s.PackedW + tx * 4) * Lanes;
            // B^T d: down each of the six columns
            for (int j = 0; j < 6; j++)
            {
                float* col = origin + j * Lanes;
                BT(Vector256.Load(col), Vector256.Load(col + rowStride), Vector256.Load(col + 2 * rowStride),
                   Vector256.Load(col + 3 * rowStride), Vector256.Load(col + 4 * rowStride), Vector256.Load(col + 5 * rowStride),
                   out d[j], out d[6 + j], out d[12 + j], out d[18 + j], out d[24 + j], out d[30 + j]);
            }
            // (B^T d) B: along each of the six rows, stored tap by tap
            float* at = v + b * Lanes;
            for (int i = 0; i < 6; i++)
            {
                var row = d + 6 * i;
                BT(row[0], row[1], row[2], row[3], row[4], row[5],
                   out var o0, out var o1, out var o2, out var o3, out var o4, out var o5);
                int tap = 6 * i;
                o0.Store(at + (tap + 0) * tapStride); o1.Store(at + (tap + 1) * tapStride); o2.Store(at + (tap + 2) * tapStride);
                o3.Store(at + (tap + 3) * tapStride); o4.Store(at + (tap + 4) * tapStride); o5.Store(at + (tap + 5) * tapStride);
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="InputTile"/> for one channel block: B dV B^T of the tile's 36 taps of dV (at
    /// <paramref name="dv"/>, <paramref name="tapStride"/> apart) added into its 6x6 window of <paramref name="window"/>,
    /// one image's channel block laid out as <see cref="Pack"/> lays out the input.
    /// </summary>
    private static void InputTileGradient(Geometry s, float* dv, int tapStride, int tileInImage, float* window)
    {
        int ty = tileInImage / s.TilesW, tx = tileInImage % s.TilesW, rowStride = s.PackedW * Lanes;
        var e = stackalloc Vector256<float>[Taps];
        // dV B^T: along each of the six rows of taps
        for (int i = 0; i < 6; i++)
        {
            float* at = dv + 6 * i * tapStride;
            BA(Vector256.Load(at), Vector256.Load(at + tapStride), Vector256.Load(at + 2 * tapStride),
               Vector256.Load(at + 3 * tapStride), Vector256.Load(at + 4 * tapStride), Vector256.Load(at + 5 * tapStride),
               out e[6 * i], out e[6 * i + 1], out e[6 * i + 2], out e[6 * i + 3], out e[6 * i + 4], out e[6 * i + 5]);
        }
        // B (dV B^T): down each of the six columns, added into the window
        float* origin = window + (ty * 4 * s.PackedW + tx * 4) * Lanes;
        for (int j = 0; j < 6; j++)
        {
            BA(e[j], e[6 + j], e[12 + j], e[18 + j], e[24 + j], e[30 + j], out var d0, out var d1, out var d2, out var d3, out var d4, out var d5);
            float* col = origin + j * Lanes;
            (Vector256.Load(col) + d0).Store(col);
            (Vector256.Load(col + rowStride) + d1).Store(col + rowStride);
            (Vector256.Load(col + 2 * rowStride) + d2).Store(col + 2 * rowStride);
            (Vector256.Load(col + 3 * rowStride) + d3).Store(col + 3 * rowStride);
            (Vector256.Load(col + 4 * rowStride) + d4).Store(col + 4 * rowStride);
            (Vector256.Load(col + 5 * rowStride) + d5).Store(col + 5 * rowStride);
        }
    }

    /// <summary>
    /// gx[n][channel block b] += the input's part of <paramref name="window"/> (laid out as <see cref="Pack"/>'s, the
    /// padding dropped): the inverse walk of <see cref="Pack"/>, eight columns of the eight channels one 8x8 transpose.
    /// </summary>
    private static void UnpackAdd(Geometry s, float* window, int n, int b, float* gx)
    {
        int rows = Math.Min(s.H, s.PackedH - s.PadH), cols = Math.Min(s.W, s.PackedW - s.PadW);
        int rowFloats = s.PackedW * Lanes, plane = s.H * s.W;
        float* dst0 = gx + (long)(n * s.Cin + b * Lanes) * plane;
        var v = stackalloc Vector256<float>[Lanes];
        for (int r = 0; r < rows; r++)
        {
            float* from = window + (r + s.PadH) * rowFloats + s.PadW * Lanes, dst = dst0 + r * s.W;
            int col = 0;
            for (; col + Lanes <= cols; col += Lanes)
            {
                for (int k = 0; k < Lanes; k++) v[k] = Vector256.Load(from + (col + k) * Lanes);
                Transpose8x8.InPlace(ref v[0], ref v[1], ref v[2], ref v[3], ref v[4], ref v[5], ref v[6], ref v[7]);
                for (int c = 0; c < Lanes; c++) (Vector256.Load(dst + c * plane + col) + v[c]).Store(dst + c * plane + col);
            }
            for (; col < cols; col++)
                for (int c = 0; c < Lanes; c++) dst[c * plane + col] += from[col * Lanes + c];
        }
    }

    /// <summary>GM[tap][t][channel block] = (A dY A^T)[tap] for the 4x4 output-gradient tile of tile t, every channel block.</summary>
    private static void GradientTile(Geometry s, float* packed, int tile, float* gm, int tapStride)
    {
        int n = tile / s.TilesPerImage, r = tile % s.TilesPerImage, ty = r / s.TilesW, tx = r % s.TilesW;
        int blocks = s.Cin / Lanes, rowStride = s.PackedW * Lanes;
        var d = stackalloc Vector256<float>[24];
        for (int b = 0; b < blocks; b++)
        {
            float* origin = packed + (long)(n * blocks + b) * s.PackedBlock + (ty * 4 * s.PackedW + tx * 4) * Lanes;
            // A dY: down each of the four columns
            for (int j = 0; j < 4; j++)
            {
                float* col = origin + j * Lanes;
                AG(Vector256.Load(col), Vector256.Load(col + rowStride), Vector256.Load(col + 2 * rowStride), Vector256.Load(col + 3 * rowStride),
                   out d[j], out d[4 + j], out d[8 + j], out d[12 + j], out d[16 + j], out d[20 + j]);
            }
            // (A dY) A^T along each of the six rows
            float* at = gm + b * Lanes;
            for (int i = 0; i < 6; i++)
            {
                var row = d + 4 * i;
                AG(row[0], row[1], row[2], row[3], out var o0, out var o1, out var o2, out var o3, out var o4, out var o5);
                int tap = 6 * i;
                o0.Store(at + (tap + 0) * tapStride); o1.Store(at + (tap + 1) * tapStride); o2.Store(at + (tap + 2) * tapStride);
                o3.Store(at + (tap + 3) * tapStride); o4.Store(at + (tap + 4) * tapStride); o5.Store(at + (tap + 5) * tapStride);
            }
        }
    }

    /// <summary>
    /// The 4x4 outputs of tile t from M[tap][t][Cout]: A^T m A plus bias, written (or added) into y [N, Cout, OH, OW];
    /// with a <see cref="ConvEpilogue"/> (<paramref name="scale"/> not null) through its scale and shift, residual and ReLU.
    /// </summary>
    private static void OutputTile(Geometry s, float* m, int tapStride, int tile, float* bias, float* y, bool accumulate,
        float* scale, float* shift, float* residual, bool relu)
    {
        int n = tile / s.TilesPerImage, r = tile % s.TilesPerImage, ty = r / s.TilesW, tx = r % s.TilesW;
        int rows = Math.Min(4, s.OH - ty * 4), cols = Math.Min(4, s.OW - tx * 4), plane = s.OH * s.OW;
        var a = stackalloc Vector256<float>[24];
        var q = stackalloc Vector256<float>[4];
        for (int b = 0; b < s.Cout / Lanes; b++)
        {
            float* at = m + b * Lanes;
            // A^T m: down each of the six columns
            for (int j = 0; j < 6; j++)
                AT(Vector256.Load(at + j * tapStride), Vector256.Load(at + (6 + j) * tapStride), Vector256.Load(at + (12 + j) * tapStride),
                   Vector256.Load(at + (18 + j) * tapStride), Vector256.Load(at + (24 + j) * tapStride), Vector256.Load(at + (30 + j) * tapStride),
                   out a[j], out a[6 + j], out a[12 + j], out a[18 + j]);
            var add = bias is null ? Vector256<float>.Zero : Vector256.Load(bias + b * Lanes);
            var (es, et) = scale is null ? default : (Vector256.Load(scale + b * Lanes), Vector256.Load(shift + b * Lanes));
            long origin = (long)(n * s.Cout + b * Lanes) * plane + ty * 4 * s.OW + tx * 4;
            float* planes = y + origin, residuals = residual + origin;
            // (A^T m) A along each of the four rows; the row's 4 outputs x 8 channels transposed to
            // 8 channel runs of 4 (lane c of q_k holds outputs 0-3 of channel c (k < 4) or c + 4 (k >= 4)).
            for (int i = 0; i < rows; i++)
            {
                var row = a + 6 * i;
                AT(row[0], row[1], row[2], row[3], row[4], row[5], out var o0, out var o1, out var o2, out var o3);
                o0 += add; o1 += add; o2 += add; o3 += add;
                // The epilogue's s y + t, lane by lane (the lanes are channels), as the batch-norm op computes it.
                if (scale is not null) { o0 = o0 * es + et; o1 = o1 * es + et; o2 = o2 * es + et; o3 = o3 * es + et; }
                var t0 = Avx.UnpackLow(o0, o1); var t1 = Avx.UnpackHigh(o0, o1);
                var t2 = Avx.UnpackLow(o2, o3); var t3 = Avx.UnpackHigh(o2, o3);
                q[0] = Avx.Shuffle(t0, t2, 0x44); q[1] = Avx.Shuffle(t0, t2, 0xEE);
                q[2] = Avx.Shuffle(t1, t3, 0x44); q[3] = Avx.Shuffle(t1, t3, 0xEE);
                float* dst = planes + i * s.OW;
                for (int c = 0; c < Lanes; c++)
                {
                    var run = (c & 4) == 0 ? q[c].GetLower() : q[c - 4].GetUpper();
                    float* to = dst + (long)c * plane;
                    float* from = residual is null ? null : residuals + i * s.OW + (long)c * plane;
                    if (cols == 4)
                    {
                        if (accumulate) run += Vector128.Load(to);
                        if (from is not null) run += Vector128.Load(from);
                        if (relu) run = Vector128.Max(run, Vector128<float>.Zero);
                        run.Store(to);
                    }
                    else
                        for (int j = 0; j < cols; j++)
                        {
                            float v = accumulate ? to[j] + run.GetElement(j) : run.GetElement(j);
                            if (from is not null) v += from[j];
                            to[j] = relu ? MathF.Max(v, 0f) : v;
                        }
                }
            }
        }
    }
}
