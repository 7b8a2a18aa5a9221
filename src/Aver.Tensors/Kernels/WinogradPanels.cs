using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Aver.Tensors.Kernels;

/// <summary>
/// Winograd's tap products with the kernels transformed where they are used: for a block of 32 kernel columns and a run
/// of the summed channels, U = G g G^T is written straight into the packed B panels of the AVX-512 register tile
/// (<see cref="GemmMicroKernels.Avx512"/>), about half an L2 cache, and multiplied from there. Where all tiles make one
/// chunk (ResNet's 7x7 and 4x4 stages, 16-64 tiles) each U element serves only 16-64 rows, so the products were bound by
/// U's trip through memory: at 512 x 512 channels 38 MB written by the transform and read back by the forward, read
/// again by the input gradient (or kept from the forward to the backward, <see cref="AdjointInputGradient"/>).
/// Here only the weights (9.4 MB) are read, once per direction.
/// </summary>
internal static unsafe partial class Winograd
{
    private const int PanelLanes = GemmMicroKernels.Avx512Columns, PanelRows = GemmMicroKernels.Avx512Rows;

    /// <summary>On: one-chunk convolutions take their products by kernel panels where <see cref="ByPanels"/> holds; benches turn it off to compare.</summary>
    internal static bool KernelPanels = true;

    /// <summary>
    /// Whether a convolution's products go by kernel panels: the packed kernel's AVX-512 path, channels in whole panels,
    /// and all tiles one chunk (<see cref="Schedule.ByTap"/>), where U's size, not the products, set the time.
    /// </summary>
    internal static bool ByPanels(ConvPlan p)
    {
        if (!PanelsFor(p.Channels) || p.OutChannels % PanelLanes != 0) return false;
        var shape = Geometry.Forward(p);
        return Schedule.For(shape.N * shape.TilesPerImage, p.Channels, p.OutChannels, Engine.Threads).ByTap;
    }

    /// <summary>Whether the AVX-512 register tile takes products whose columns are <paramref name="columns"/> channels.</summary>
    private static bool PanelsFor(int columns) => KernelPanels && Engine.PackedGemm && Engine.Isa >= IsaPath.Avx512 && columns % PanelLanes == 0;

    /// <summary>
    /// V_tap [tiles, cin] (taps <paramref name="vTap"/> apart) as the register tile's B panels: tap by tap, each block of 32
    /// channels as [tiles][32], from a 64-byte boundary of the returned pooled array (<see cref="PanelStart"/>).
    /// </summary>
    private static float[] PackPanels(float[] v, int vTap, int tiles, int cin)
    {
        var panels = ArrayPool<float>.Shared.Rent(Taps * tiles * cin + 16);
        Engine.For(Taps, tap =>
        {
            fixed (float* pv = v, pp = panels)
            {
                float* to = PanelStart(pp) + (long)tap * tiles * cin;
                for (int j = 0; j < cin; j += PanelLanes)
                    for (int t = 0; t < tiles; t++, to += PanelLanes)
                        new Span<float>(pv + (long)tap * vTap + (long)t * cin + j, PanelLanes).CopyTo(new Span<float>(to, PanelLanes));
            }
        });
        return panels;
    }

    private static float* PanelStart(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    /// <summary>
    /// dU_tap [count, cin] = dM_tap[:, o0 .. o0 + count)^T V_tap for the 36 taps, dM read where it lies (rows
    /// <paramref name="cout"/> apart), V from <see cref="PackPanels"/>; dU's taps <paramref name="duTap"/> apart. Count is a multiple of 8.
    /// </summary>
    private static void PanelWeightGradient(float[] gm, int gTap, int o0, int count, int cout, float[] panels, int tiles, int cin, float[] du, int duTap)
    {
        fixed (float* pg = gm, pp = panels, pd = du)
        {
            float* v = PanelStart(pp);
            for (int tap = 0; tap < Taps; tap++)
                for (int o = 0; o < count; o += PanelRows)
                    for (int j = 0; j < cin; j += PanelLanes)
                        GemmMicroKernels.Avx512(tiles, pg + (long)tap * gTap + o0 + o, sizeof(float), cout,
                            v + ((long)tap * cin + j) * tiles, pd + (long)tap * duTap + (long)o * cin + j, cin, 1f, 0f);
        }
    }

    /// <summary>
    /// out_tap [rows, columns] = in_tap [rows, K] x U_tap read as [K, columns], for the 36 taps: the forward's
    /// M_tap = V_tap U_tap^T (<paramref name="forward"/>: K = Cin, columns = Cout) or the input gradient's
    /// dV_tap = dM_tap U_tap (K = Cout, columns = Cin), with U = G g G^T of w [Cout, Cin, 3, 3]. Rows lie
    /// <paramref name="ldIn"/> and <paramref name="ldOut"/> apart, taps <paramref name="inTap"/> and <paramref name="outTap"/>.
    /// Parallel over blocks of 32 columns; each block sums K in runs whose 36 panels fill about half the L2.
    /// </summary>
    private static void PanelProducts(float[] input, int inTap, int ldIn, int rows, float[] w, int cin, int cout, bool forward,
        float[] output, int outTap, int ldOut)
    {
        int k = forward ? cin : cout, columns = forward ? cout : cin;
        int run = Math.Clamp(Engine.L2CacheBytes / 2 / (Taps * PanelLanes * sizeof(float)) / Lanes * Lanes, Lanes, k);
        int panelTap = run * PanelLanes;
        Engine.For(columns / PanelLanes, block =>
        {
            int c0 = block * PanelLanes;
            var buffer = ArrayPool<float>.Shared.Rent(Taps * panelTap + 16);
            var edge = stackalloc float[PanelRows * run + PanelRows * PanelLanes + 16];
            float* tile = (float*)(((nint)edge + 63) & ~(nint)63), edgeRows = tile + PanelRows * PanelLanes;
            try
            {
                fixed (float* pb = buffer, pw = w, pin = input, pout = output)
                {
                    float* panel = (float*)(((nint)pb + 63) & ~(nint)63);
                    for (int k0 = 0; k0 < k; k0 += run)
                    {
                        int steps = Math.Min(run, k - k0);
                        float beta = k0 == 0 ? 0f : 1f;
                        KernelPanel(pw, cin, forward, c0, k0, steps, panel, panelTap);
                        for (int tap = 0; tap < Taps; tap++)
                        {
                            float* a = pin + (long)tap * inTap + k0, b = panel + (long)tap * panelTap, c = pout + (long)tap * outTap + c0;
                            int r = 0;
                            for (; r + PanelRows <= rows; r += PanelRows)
                                GemmMicroKernels.Avx512(steps, a + (long)r * ldIn, (nint)ldIn * sizeof(float), 1, b, c + (long)r * ldOut, ldOut, 1f, beta);
                            if (r == rows) continue;
                            // The last rows through a zero-padded copy and a tile of its own.
                            new Span<float>(edgeRows, PanelRows * steps).Clear();
                            for (int i = r; i < rows; i++) new Span<float>(a + (long)i * ldIn, steps).CopyTo(new Span<float>(edgeRows + (i - r) * steps, steps));
                            GemmMicroKernels.Avx512(steps, edgeRows, steps * sizeof(float), 1, b, tile, PanelLanes, 1f, 0f);
                            GemmMicroKernels.Merge(tile, PanelLanes, rows - r, PanelLanes, c + (long)r * ldOut, ldOut, 1f, beta);
                        }
                    }
                }
            }
            finally { ArrayPool<float>.Shared.Return(buffer); }
        });
    }

    /// <summary>
    /// The packed panels of U for 32 lanes from <paramref name="lane0"/> and <paramref name="steps"/> steps of K from
    /// <paramref name="k0"/>: panel[tap * panelTap + step * 32 + lane] = (G g G^T)[tap] of the kernel g = w[o][i], where
    /// (o, i) = (lane, step) when <paramref name="lanesAreOutputs"/> (the forward) and (step, lane) otherwise. The same
    /// arithmetic as <see cref="TransformKernels"/>, so the same U. Eight kernels at a time come into registers by an 8 x 8
    /// transpose of their first eight values (their ninth one by one): the scalar copy took as long as the products.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelPanel(float* w, int cin, bool lanesAreOutputs, int lane0, int k0, int steps, float* panel, int panelTap)
    {
        var gg = stackalloc float[18 * Lanes];
        long laneStride = lanesAreOutputs ? 9L * cin : 9;
        for (int step = 0; step < steps; step++)
            for (int q = 0; q < PanelLanes; q += Lanes)
            {
                float* k = lanesAreOutputs ? w + ((long)(lane0 + q) * cin + k0 + step) * 9 : w + ((long)(k0 + step) * cin + lane0 + q) * 9;
                var g0 = Vector256.Load(k); var g1 = Vector256.Load(k + laneStride);
                var g2 = Vector256.Load(k + 2 * laneStride); var g3 = Vector256.Load(k + 3 * laneStride);
                var g4 = Vector256.Load(k + 4 * laneStride); var g5 = Vector256.Load(k + 5 * laneStride);
                var g6 = Vector256.Load(k + 6 * laneStride); var g7 = Vector256.Load(k + 7 * laneStride);
                Transpose8x8.InPlace(ref g0, ref g1, ref g2, ref g3, ref g4, ref g5, ref g6, ref g7);
                var g8 = Vector256.Create(k[8], k[laneStride + 8], k[2 * laneStride + 8], k[3 * laneStride + 8],
                    k[4 * laneStride + 8], k[5 * laneStride + 8], k[6 * laneStride + 8], k[7 * laneStride + 8]);
                // G g down each kernel column (row r of G g at gg + 3 r * 8), then (G g) G^T along each row: taps 6 r .. 6 r + 5.
                Column(g0, g3, g6, gg); Column(g1, g4, g7, gg + Lanes); Column(g2, g5, g8, gg + 2 * Lanes);
                float* to = panel + (long)step * PanelLanes + q;
                for (int r = 0; r < 6; r++, to += 6L * panelTap)
                {
                    float* row = gg + 3 * r * Lanes;
                    GK(Vector256.Load(row), Vector256.Load(row + Lanes), Vector256.Load(row + 2 * Lanes),
                       out var o0, out var o1, out var o2, out var o3, out var o4, out var o5);
                    o0.Store(to); o1.Store(to + panelTap); o2.Store(to + 2L * panelTap);
                    o3.Store(to + 3L * panelTap); o4.Store(to + 4L * panelTap); o5.Store(to + 5L * panelTap);
                }
            }
    }

    /// <summary>G applied down one kernel column: its six values go to rows 0..5 of G g, 3 x 8 floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Column(Vector256<float> top, Vector256<float> middle, Vector256<float> bottom, float* to)
    {
        GK(top, middle, bottom, out var o0, out var o1, out var o2, out var o3, out var o4, out var o5);
        o0.Store(to); o1.Store(to + 3 * Lanes); o2.Store(to + 6 * Lanes);
        o3.Store(to + 9 * Lanes); o4.Store(to + 12 * Lanes); o5.Store(to + 15 * Lanes);
    }
}
