using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Aver.Tensors.Kernels;

/// <summary>
/// Winograd's kernels: U = G g G^T and the weight gradient's G^T dU G, and the 1-D transforms (B^T, its adjoint B, A^T, A,
/// G, G^T of Lavin and Gray's F(4x4, 3x3)) every tile and kernel transform is made of.
/// </summary>
internal static unsafe partial class Winograd
{
    /// <summary>
    /// U[tap][o][i] = (G g G^T)[tap] for every kernel g = w[o][i], rotated by 180 degrees when
    /// <paramref name="flipped"/> (the input gradient's kernels). For the forward product U_tap is
    /// [Cout, Cin] and enters transposed; for the input gradient, whose input channels are the
    /// forward's output channels o, it is [Cin', Cout'] as it stands. Vectorised over eight
    /// consecutive i, whose 8 x 9 kernel values are one contiguous run of w. Large tap matrices go by
    /// <see cref="RowPasses"/>: for each o, G g of all its kernels first (18 vectors per eight, in L1), then
    /// (G g) G^T one row of taps at a time, six output streams instead of 36.
    /// </summary>
    internal static void TransformKernels(float[] w, int cout, int cin, bool flipped, float[] u)
    {
        long tap = TapStride(cout * cin);
        int blocks = cin / Lanes, group = RowPasses(cout, cin) ? Math.Min(blocks, MaxPassBlocks) : 1;
        Engine.For(cout, o =>
        {
            var g = stackalloc float[9 * Lanes];
            var gg0 = stackalloc float[group * 18 * Lanes];
            fixed (float* pw = w, pu = u)
                for (int b0 = 0; b0 < blocks; b0 += group)
                {
                    int b1 = Math.Min(b0 + group, blocks);
                    float* gg = gg0 - b0 * 18 * Lanes;
                    for (int b = b0; b < b1; b++)
                    {
                        float* run = pw + ((long)o * cin + b * Lanes) * 9;
                        for (int lane = 0; lane < Lanes; lane++)
                            for (int k = 0; k < 9; k++) g[(flipped ? 8 - k : k) * Lanes + lane] = run[lane * 9 + k];
                        // G g: down each of the three kernel columns; row r of G g at gg + (18 b + 3 r) * 8
                        float* at = gg + b * 18 * Lanes;
                        for (int j = 0; j < 3; j++)
                        {
                            GK(Vector256.Load(g + j * Lanes), Vector256.Load(g + (3 + j) * Lanes), Vector256.Load(g + (6 + j) * Lanes),
                               out var o0, out var o1, out var o2, out var o3, out var o4, out var o5);
                            o0.Store(at + j * Lanes); o1.Store(at + (3 + j) * Lanes); o2.Store(at + (6 + j) * Lanes);
                            o3.Store(at + (9 + j) * Lanes); o4.Store(at + (12 + j) * Lanes); o5.Store(at + (15 + j) * Lanes);
                        }
                    }
                    // (G g) G^T along row r of each block: taps 6 r .. 6 r + 5
                    for (int r = 0; r < 6; r++)
                    {
                        float* to = pu + 6 * r * tap + (long)o * cin + b0 * Lanes;
                        for (int b = b0; b < b1; b++, to += Lanes)
                        {
                            float* row = gg + (b * 18 + 3 * r) * Lanes;
                            GK(Vector256.Load(row), Vector256.Load(row + Lanes), Vector256.Load(row + 2 * Lanes),
                               out var o0, out var o1, out var o2, out var o3, out var o4, out var o5);
                            o0.Store(to); o1.Store(to + tap); o2.Store(to + 2 * tap); o3.Store(to + 3 * tap); o4.Store(to + 4 * tap); o5.Store(to + 5 * tap);
                        }
                    }
                }
        });
    }

    /// <summary>
    /// gw[o][i] += G^T dU[.][o][i] G for every kernel, vectorised over eight consecutive i (the inverse walk of
    /// <see cref="TransformKernels"/>; with <see cref="RowPasses"/>, six streams of dU at a time).
    /// </summary>
    internal static void AccumulateKernelGradients(float[] du, int cout, int cin, float[] gw)
    {
        long tap = TapStride(cout * cin);
        int group = RowPasses(cout, cin) ? Math.Min(cin / Lanes, MaxPassBlocks) : 1;
        Engine.For(cout, o =>
        {
            fixed (float* pd = du, pw = gw) AccumulateKernelGradient(pd + (long)o * cin, tap, cin, pw + (long)o * cin * 9, group);
        });
    }

    /// <summary>
    /// One output channel's kernels: g[i] += G^T dU[.][i] G for the cin kernels at <paramref name="g"/> from dU's taps at
    /// <paramref name="du"/>, <paramref name="tap"/> apart; <paramref name="group"/> blocks of eight per pass (G^T dU down
    /// column j of every block, then the rows from L1), or 1 (all 36 taps of eight kernels at once).
    /// </summary>
    private static void AccumulateKernelGradient(float* du, long tap, int cin, float* g, int group)
    {
        int blocks = cin / Lanes;
        var k = stackalloc float[9 * Lanes];
        var cols0 = stackalloc float[group * 18 * Lanes];
        for (int b0 = 0; b0 < blocks; b0 += group)
        {
            int b1 = Math.Min(b0 + group, blocks);
            float* cols = cols0 - b0 * 18 * Lanes;
            // G^T dU down column j (taps j, 6 + j, ..., 30 + j); row r of G^T dU at cols + (18 b + 6 r) * 8
            for (int j = 0; j < 6; j++)
            {
                float* at = du + j * tap + b0 * Lanes;
                for (int b = b0; b < b1; b++, at += Lanes)
                {
                    GT(Vector256.Load(at), Vector256.Load(at + 6 * tap), Vector256.Load(at + 12 * tap),
                       Vector256.Load(at + 18 * tap), Vector256.Load(at + 24 * tap), Vector256.Load(at + 30 * tap),
                       out var c0, out var c1, out var c2);
                    float* to = cols + b * 18 * Lanes + j * Lanes;
                    c0.Store(to); c1.Store(to + 6 * Lanes); c2.Store(to + 12 * Lanes);
                }
            }
            for (int b = b0; b < b1; b++)
            {
                // (G^T dU) G along each of the three rows
                for (int r = 0; r < 3; r++)
                {
                    float* row = cols + (b * 18 + 6 * r) * Lanes;
                    GT(Vector256.Load(row), Vector256.Load(row + Lanes), Vector256.Load(row + 2 * Lanes),
                       Vector256.Load(row + 3 * Lanes), Vector256.Load(row + 4 * Lanes), Vector256.Load(row + 5 * Lanes),
                       out var o0, out var o1, out var o2);
                    o0.Store(k + (3 * r) * Lanes); o1.Store(k + (3 * r + 1) * Lanes); o2.Store(k + (3 * r + 2) * Lanes);
                }
                float* run = g + (long)b * Lanes * 9;
                for (int lane = 0; lane < Lanes; lane++)
                    for (int kk = 0; kk < 9; kk++) run[lane * 9 + kk] += k[kk * Lanes + lane];
            }
        }
    }

    /// <summary>A applied to four values (one column or row of an output-gradient tile), six outputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AG(Vector256<float> g0, Vector256<float> g1, Vector256<float> g2, Vector256<float> g3,
        out Vector256<float> o0, out Vector256<float> o1, out Vector256<float> o2, out Vector256<float> o3, out Vector256<float> o4, out Vector256<float> o5)
    {
        var even = g0 + g2; var odd = g1 + g3;
        var even4 = g0 + Vector256.Create(4f) * g2; var odd8 = Vector256.Create(2f) * g1 + Vector256.Create(8f) * g3;
        o0 = g0;
        o1 = even + odd;
        o2 = even - odd;
        o3 = even4 + odd8;
        o4 = even4 - odd8;
        o5 = g3;
    }

    /// <summary>G^T applied to six values, three outputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GT(Vector256<float> m0, Vector256<float> m1, Vector256<float> m2, Vector256<float> m3, Vector256<float> m4, Vector256<float> m5,
        out Vector256<float> o0, out Vector256<float> o1, out Vector256<float> o2)
    {
        var sixth = Vector256.Create(1f / 6f);
        var sum12 = m1 + m2; var sum34 = m3 + m4;
        o0 = Vector256.Create(0.25f) * m0 - sixth * sum12 + Vector256.Create(1f / 24f) * sum34;
        o1 = Vector256.Create(1f / 12f) * (m3 - m4) - sixth * (m1 - m2);
        o2 = sixth * (sum34 - sum12) + m5;
    }

    /// <summary>B^T applied to six values (one column or row of an input tile).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BT(Vector256<float> d0, Vector256<float> d1, Vector256<float> d2, Vector256<float> d3, Vector256<float> d4, Vector256<float> d5,
        out Vector256<float> o0, out Vector256<float> o1, out Vector256<float> o2, out Vector256<float> o3, out Vector256<float> o4, out Vector256<float> o5)
    {
        var four = Vector256.Create(4f); var five = Vector256.Create(5f); var two = Vector256.Create(2f);
        var d4m2 = d4 - d2;
        o0 = four * d0 - five * d2 + d4;
        o1 = d3 + d4 - four * (d1 + d2);
        o2 = four * (d1 - d2) + d4 - d3;
        o3 = two * (d3 - d1) + d4m2;
        o4 = two * (d1 - d3) + d4m2;
        o5 = four * d1 - five * d3 + d5;
    }

    /// <summary>B applied to six values: the adjoint of <see cref="BT"/> (row i of B^T times o_i, summed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BA(Vector256<float> o0, Vector256<float> o1, Vector256<float> o2, Vector256<float> o3, Vector256<float> o4, Vector256<float> o5,
        out Vector256<float> d0, out Vector256<float> d1, out Vector256<float> d2, out Vector256<float> d3, out Vector256<float> d4, out Vector256<float> d5)
    {
        var four = Vector256.Create(4f); var five = Vector256.Create(5f); var two = Vector256.Create(2f);
        var sum12 = o1 + o2; var sum34 = o3 + o4;
        d0 = four * o0;
        d1 = four * (o2 - o1 + o5) + two * (o4 - o3);
        d2 = -(five * o0 + four * sum12 + sum34);
        d3 = (o1 - o2) + two * (o3 - o4) - five * o5;
        d4 = o0 + sum12 + sum34;
        d5 = o5;
    }

    /// <summary>A^T applied to six values (one column or row of a product tile), four outputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AT(Vector256<float> m0, Vector256<float> m1, Vector256<float> m2, Vector256<float> m3, Vector256<float> m4, Vector256<float> m5,
        out Vector256<float> o0, out Vector256<float> o1, out Vector256<float> o2, out Vector256<float> o3)
    {
        var sum12 = m1 + m2; var dif12 = m1 - m2; var sum34 = m3 + m4; var dif34 = m3 - m4;
        o0 = m0 + sum12 + sum34;
        o1 = dif12 + Vector256.Create(2f) * dif34;
        o2 = sum12 + Vector256.Create(4f) * sum34;
        o3 = dif12 + Vector256.Create(8f) * dif34 + m5;
    }

    /// <summary>G applied to three kernel values, six outputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GK(Vector256<float> g0, Vector256<float> g1, Vector256<float> g2,
        out Vector256<float> o0, out Vector256<float> o1, out Vector256<float> o2, out Vector256<float> o3, out Vector256<float> o4, out Vector256<float> o5)
    {
        var sixth = Vector256.Create(1f / 6f);
        var outer = g0 + g2;
        o0 = Vector256.Create(0.25f) * g0;
        o1 = -sixth * (outer + g1);
        o2 = -sixth * (outer - g1);
        var even = Vector256.Create(1f / 24f) * g0 + sixth * g2;
        var odd = Vector256.Create(1f / 12f) * g1;
        o3 = even + odd;
        o4 = even - odd;
        o5 = g2;
    }
}
