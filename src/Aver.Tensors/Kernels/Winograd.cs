using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aver.Tensors.Kernels;

/// <summary>
/// 3x3 stride-1 convolution by Winograd's minimal filtering F(4x4, 3x3) (Lavin and Gray 2016,
/// "Fast algorithms for convolutional neural networks", section 4.2): each 4x4 output tile is
/// Y = A^T [ (G g G^T) (.) (B^T d B) ] A from a 6x6 input tile d, 36 products per tile and channel
/// pair where the direct convolution needs 144. Summed over input channels, the 36 element-wise
/// products of a chunk of tiles are 36 matrix products, M_p [tiles, Cout] = V_p [tiles, Cin] x U_p [Cin, Cout],
/// which OpenBLAS does. Channels move through every transform in blocks of eight (one Vector256),
/// so the input is first repacked channel-innermost with its padding made explicit.
/// The input gradient of such a convolution is the same convolution of the output gradient with
/// the kernels flipped and their channel axes swapped (<see cref="BackwardData"/>), or, where a training step kept
/// the forward's transformed kernels, the forward's adjoint (<see cref="BackwardByTap"/>); the weight
/// gradient comes from the same two transforms of input and output gradient (<see cref="BackwardWeights"/>).
/// Rounding differs from the direct product by a few units in the 5th-6th significant digit;
/// <see cref="Engine.Winograd"/> turns it off. Where all tiles make one chunk on the AVX-512 path, the kernels are instead
/// transformed a block at a time into the register tile's panels and multiplied from there (<see cref="ByPanels"/>).
/// This file holds the algorithm; <c>WinogradTiles.cs</c> the tiles' transforms and layout, <c>WinogradKernelTransforms.cs</c>
/// the kernels' and the 1-D transforms, <c>WinogradPanels.cs</c> the products by kernel panels.
/// </summary>
internal static unsafe partial class Winograd
{
    private const int Lanes = 8, Taps = 36;
    /// <summary>
    /// Floats of V and M per chunk of tiles (4 MB): a chunk's transforms and products stay in the
    /// last-level cache, while the products keep enough rows to run at full speed. Measured on
    /// ResNet-18's stages (one thread, Zen 1): 2 MB chunks made the 512-channel 4x4 stage 30%
    /// slower, 8 MB ones gained nothing.
    /// </summary>
    private const int ChunkFloats = 1024 * 1024;

    /// <summary>
    /// Floats from one tap's matrix to the next in U, V, M and their gradients: the matrix and one cache line more. The
    /// 36 taps are written and read as 36 streams at once, and matrices of a power-of-two size (U of 512 x 512 channels:
    /// 1 MB; V of 64 tiles x 256 channels) put every stream in the same cache set, so each access evicted another
    /// stream's line (session 21, Zen 4, one thread: the 128 x 128 kernels' transform 0.26 -> 0.13 ms, their gradient's
    /// 0.38 -> 0.15 ms).
    /// </summary>
    internal static int TapStride(int floats) => SpreadTaps ? floats + 16 : floats;

    /// <summary>On: <see cref="TapStride"/> a cache line past each matrix and <see cref="RowPasses"/> by size; benches turn it off to compare.</summary>
    internal static bool SpreadTaps = true;

    /// <summary>
    /// Whether the kernels' transforms write (and their gradients read) the 36 taps six at a time, in passes over all
    /// of an output channel's kernels, rather than all 36 per eight kernels. With tap matrices larger than half the
    /// L2 cache the 36 streams go to memory and the passes win (session 21, Zen 4, one thread, 512 x 512 channels:
    /// transform 6.1 -> 4.3 ms, gradient 6.3 -> 5.2); below it they lose (128 x 128: 0.16 -> 0.21 ms), 256 x 256 ties.
    /// </summary>
    internal static bool RowPasses(int cout, int cin) => SpreadTaps && (long)cout * cin * sizeof(float) > Engine.L2CacheBytes / 2;

    /// <summary>Blocks of eight kernels per pass: up to 512 input channels, 36 KB of stack.</summary>
    private const int MaxPassBlocks = 64;

    /// <summary>
    /// True for the convolutions this kernel serves: 2-D, one group, 3x3, unit stride and dilation,
    /// padding at most 2, channel counts divisible by 8, outputs big enough that 4x4 tiles do not waste
    /// most of their work (at most 2.5x the output area), and enough tiles per image for the direction
    /// (<see cref="MinTilesPerImage"/>).
    /// </summary>
    public static bool Applies(ConvPlan p, bool backward = false)
    {
        var w = p.Window;
        if (!Engine.Winograd || Engine.Isa < IsaPath.Avx2 || !Avx2.IsSupported || p.Groups != 1) return false;
        if (w.In[0] != 1 || w.Kernel[0] != 1 || w.Kernel[1] != 3 || w.Kernel[2] != 3) return false;
        if (w.Stride[1] != 1 || w.Stride[2] != 1 || w.Dilation[1] != 1 || w.Dilation[2] != 1) return false;
        if (w.Padding[1] > 2 || w.Padding[2] > 2) return false;
        if (p.Channels % Lanes != 0 || p.OutChannels % Lanes != 0) return false;
        int tilesPerImage = Tiles(w.Out[1]) * Tiles(w.Out[2]);
        if (tilesPerImage < MinTilesPerImage(backward)) return false;
        return 16L * tilesPerImage * 2 <= 5L * w.Out[1] * w.Out[2];
    }

    /// <summary>Tests set this to take Winograd at every output size it can serve, whatever <see cref="MinTilesPerImage"/> says.</summary>
    internal static bool OnSmallOutputs;

    /// <summary>
    /// The fewest 4x4 tiles per image for which Winograd beats im2col. Where im2col's products run on the packed
    /// kernel at full 512-bit rate (Zen 5), Winograd's transforms and its short products lose on small outputs:
    /// one thread, batch 16, ms Winograd / im2col (bench/conv-shapes.md): 4x4 output (1 tile, 512 channels) forward
    /// 6.3 / 5.7, input gradient 13.6 / 5.9, weight gradient 13.7 / 5.8; 7x7 (4 tiles, 256) forward 4.1 / 4.5, input
    /// gradient 5.3 / 4.8, weight gradient 6.3 / 4.6; 14x14 (16 tiles, 128) 2.4 / 5.6, 3.0 / 6.4, 3.0 / 5.3. Elsewhere
    /// (OpenBLAS's Haswell kernel) it won at every ResNet-18 stage, the 4x4 one included.
    /// </summary>
    internal static int MinTilesPerImage(bool backward) =>
        OnSmallOutputs || !Engine.PackedGemmEverywhere ? 1 : backward ? 9 : 4;

    /// <summary>
    /// y = conv(x, w) + bias, through <paramref name="epilogue"/> when given, for a plan where <see cref="Applies"/> holds.
    /// With <paramref name="keepKernels"/> (a training step that will want the input gradient), returns the transformed
    /// kernels when <see cref="BackwardByTap"/> can use them (otherwise null); the caller hands them to it.
    /// </summary>
    public static float[]? Forward(ConvPlan p, float[] x, float[] w, float[]? bias, float[] y, ConvEpilogue? epilogue = null, bool keepKernels = false)
    {
        var shape = Geometry.Forward(p);
        if (ByPanels(p))
        {
            Run(shape, x, null, transposedKernels: true, bias, y, accumulate: false, epilogue, w);
            return null;
        }
        if (keepKernels && AdjointInputGradient && Applies(p, backward: true)
            && Schedule.For(shape.N * shape.TilesPerImage, p.Channels, p.OutChannels, Engine.Threads).ByTap)
        {
            var u = TensorMemory.Rent(Taps * TapStride(p.Channels * p.OutChannels));
            TransformKernels(w, p.OutChannels, p.Channels, flipped: false, u);
            Run(shape, x, u, transposedKernels: true, bias, y, accumulate: false, epilogue);
            return u;
        }
        Convolve(shape, x, w, p, flipped: false, bias, y, epilogue);
        return null;
    }

    /// <summary>
    /// On: the forward keeps its transformed kernels for <see cref="BackwardByTap"/> where it applies and <see cref="ByPanels"/>
    /// does not (the AVX2 path); benches turn it off to compare.
    /// </summary>
    internal static bool AdjointInputGradient = true;

    /// <summary>
    /// On: <see cref="BackwardByTap"/> folds the weight gradient block by block (<see cref="WeightGradientByBlocks"/>;
    /// buffers of a quarter, half, all and twice the L2 measured 0.968, 0.965, 0.975 and 0.983 of resnet-train's step
    /// time, Zen 4, 2 threads); benches turn it off to compare.
    /// </summary>
    internal static bool WeightGradientInBlocks = true;

    /// <summary>
    /// gx += the input gradient: the output gradient convolved with the kernels rotated by 180
    /// degrees, input and output channels swapped, and padding 2 - p (so the result is H x W again).
    /// </summary>
    public static void BackwardData(ConvPlan p, float[] w, float[] gy, float[] gx)
    {
        var win = p.Window;
        var shape = new Geometry(p.Batch, p.OutChannels, p.Channels, win.Out[1], win.Out[2], 2 - win.Padding[1], 2 - win.Padding[2], win.In[1], win.In[2]);
        Convolve(shape, gy, w, p, flipped: true, null, gx);
    }

    /// <summary>
    /// Transforms the kernels, then convolves: the forward product (its U_tap [Cout, Cin] enters
    /// transposed) writes y; the input gradient's (flipped kernels, U_tap [Cin', Cout']) adds into it.
    /// </summary>
    private static void Convolve(Geometry shape, float[] input, float[] w, ConvPlan p, bool flipped, float[]? bias, float[] output, ConvEpilogue? epilogue = null)
    {
        int size = Taps * TapStride(p.Channels * p.OutChannels);
        // Without gradients the weights are usually fixed (inference): their transform is kept.
        if (!flipped && !GradMode.IsEnabled && WinogradKernelCache.TryUse(w, size,
                u => TransformKernels(w, p.OutChannels, p.Channels, flipped, u),
                u => Run(shape, input, u, transposedKernels: true, bias, output, accumulate: false, epilogue)))
            return;
        var u = ArrayPool<float>.Shared.Rent(size);
        try
        {
            TransformKernels(w, p.OutChannels, p.Channels, flipped, u);
            Run(shape, input, u, transposedKernels: !flipped, bias, output, accumulate: flipped, epilogue);
        }
        finally { ArrayPool<float>.Shared.Return(u); }
    }

    /// <summary>
    /// gw += the weight gradient, by the same transforms: Y_t = A^T (U (.) V_t) A gives
    /// dU = sum over tiles of (A dY_t A^T) (.) V_t, 36 products [Cout, tiles] x [tiles, Cin], and
    /// U = G g G^T gives dg = G^T dU G. With many tiles and a small dU the sum over tiles runs chunk by chunk
    /// as <see cref="Schedule"/> cuts them, so a chunk's transformed tiles are summed while still in cache
    /// (ResNet-18 on 48x48 faces at batch 64: V and dM of its first stage were 85 MB per convolution, written
    /// out and read back); each thread sums its chunks into its own dU, added together at the end. Otherwise
    /// all tiles are one chunk whose transforms and 36 products are shared between the threads.
    /// </summary>
    public static void BackwardWeights(ConvPlan p, float[] x, float[] gy, float[] gw)
    {
        var fwd = Geometry.Forward(p);
        var grad = Geometry.Gradient(p);
        int cin = p.Channels, cout = p.OutChannels, uTap = TapStride(cin * cout), taps = Taps * uTap;
        var plan = Schedule.For(fwd.N * fwd.TilesPerImage, cin, cout, Engine.Threads);
        if (plan.ByTap) { BackwardByTap(p, x, gy, null, gw, null); return; }
        // Summing chunk by chunk re-reads each thread's dU once per chunk: it pays while dU is small next to a
        // chunk (measured: FER's 32-128-channel stages 15-27 % faster, its 256-channel 6x6 stage 30 % slower).
        bool chunked = !plan.ByTap && (long)taps <= ChunkFloats;
        int tiles = plan.Tiles, chunk = chunked ? plan.Chunk : tiles, chunks = chunked ? plan.Chunks : 1;
        int workers = Math.Min(Engine.Threads, chunks);
        var packedX = ArrayPool<float>.Shared.Rent(fwd.N * (cin / Lanes) * fwd.PackedBlock);
        var packedG = ArrayPool<float>.Shared.Rent(grad.N * (cout / Lanes) * grad.PackedBlock);
        var du = new float[workers][];
        try
        {
            Engine.For(fwd.N * (cin / Lanes), nb => Pack(fwd, x, nb, packedX));
            Engine.For(grad.N * (cout / Lanes), nb => Pack(grad, gy, nb, packedG));
            // Worker w sums chunks [w * chunks / workers, (w + 1) * chunks / workers) into du[w]; one worker shares
            // its transforms and products between the threads.
            void Worker(int w)
            {
                int vTap = TapStride(chunk * cin), gTap = TapStride(chunk * cout);
                var v = ArrayPool<float>.Shared.Rent(Taps * vTap);
                var gm = ArrayPool<float>.Shared.Rent(Taps * gTap);
                du[w] = ArrayPool<float>.Shared.Rent(taps);
                int parts = workers == 1 ? Math.Min(Engine.Threads, chunk) : 1;
                try
                {
                    for (int c = w * chunks / workers; c < (w + 1) * chunks / workers; c++)
                    {
                        int t0 = c * chunk, count = Math.Min(chunk, tiles - t0);
                        float beta = c == w * chunks / workers ? 0f : 1f;
                        Engine.For(parts, part =>
                        {
                            fixed (float* pv = v, pg = gm, px = packedX, pgy = packedG)
                                for (int t = part * count / parts; t < (part + 1) * count / parts; t++)
                                {
                                    InputTile(fwd, px, t0 + t, pv + t * cin, vTap);
                                    GradientTile(grad, pgy, t0 + t, pg + t * cout, gTap);
                                }
                        });
                        void Product(int tap) => Blas.Sgemm(true, false, cout, cin, count, 1f, gm.AsSpan(tap * gTap), cout,
                            v.AsSpan(tap * vTap), cin, beta, du[w].AsSpan(tap * uTap), cin);
                        if (workers == 1) Engine.For(Taps, Product);
                        else for (int tap = 0; tap < Taps; tap++) Product(tap);
                    }
                }
                finally { ArrayPool<float>.Shared.Return(v); ArrayPool<float>.Shared.Return(gm); }
            }
            if (workers == 1) Worker(0);
            else Engine.For(workers, Worker);
            for (int w = 1; w < workers; w++) TensorPrimitives.Add(du[0].AsSpan(0, taps), du[w].AsSpan(0, taps), du[0].AsSpan(0, taps));
            AccumulateKernelGradients(du[0], cout, cin, gw);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packedX); ArrayPool<float>.Shared.Return(packedG);
            foreach (var d in du) if (d is not null) ArrayPool<float>.Shared.Return(d);
        }
    }

    /// <summary>
    /// Both gradients of a convolution whose tiles make one chunk (<see cref="Schedule.ByTap"/>: ResNet's 7x7 and 4x4
    /// stages), from the forward's transformed kernels <paramref name="u"/> (U_tap [Cout, Cin]). The output gradient's
    /// transform dM = A dY A^T serves both: the weights' dU_tap = dM_tap^T V_tap as in <see cref="BackwardWeights"/>,
    /// and the input's by the adjoint of the forward, dV_tap = dM_tap U_tap, then B dV B^T added into each tile's 6x6
    /// input window. <see cref="BackwardData"/> instead transforms the flipped kernels afresh (at 512 x 512 channels
    /// 38 MB written per convolution) and transforms dY a second time. gx and gw (when not null) are added to.
    /// </summary>
    public static void BackwardByTap(ConvPlan p, float[] x, float[] gy, float[]? gx, float[]? gw, float[]? u, float[]? panelWeights = null)
    {
        var fwd = Geometry.Forward(p);
        var grad = Geometry.Gradient(p);
        int cin = p.Channels, cout = p.OutChannels, tiles = fwd.N * fwd.TilesPerImage, blocks = cin / Lanes;
        int uTap = TapStride(cin * cout), vTap = TapStride(tiles * cin), gTap = TapStride(tiles * cout);
        int parts = Math.Min(Engine.Threads, tiles);
        var pool = ArrayPool<float>.Shared;
        var packedX = gw is null ? null : pool.Rent(fwd.N * blocks * fwd.PackedBlock);
        var packedG = pool.Rent(grad.N * (cout / Lanes) * grad.PackedBlock);
        var v = pool.Rent(Taps * vTap);
        var gm = pool.Rent(Taps * gTap);
        try
        {
            if (packedX is not null) Engine.For(fwd.N * blocks, nb => Pack(fwd, x, nb, packedX));
            Engine.For(grad.N * (cout / Lanes), nb => Pack(grad, gy, nb, packedG));
            Engine.For(parts, part =>
            {
                fixed (float* pv = v, pg = gm, px = packedX, pgy = packedG)
                    for (int t = part * tiles / parts; t < (part + 1) * tiles / parts; t++)
                    {
                        if (px is not null) InputTile(fwd, px, t, pv + t * cin, vTap);
                        GradientTile(grad, pgy, t, pg + t * cout, gTap);
                    }
            });
            if (gw is not null && WeightGradientInBlocks) WeightGradientByBlocks(gm, gTap, v, vTap, tiles, cout, cin, gw);
            else if (gw is not null)
            {
                var du = pool.Rent(Taps * uTap);
                Engine.For(Taps, tap => Blas.Sgemm(true, false, cout, cin, tiles, 1f, gm.AsSpan(tap * gTap), cout, v.AsSpan(tap * vTap), cin, 0f, du.AsSpan(tap * uTap), cin));
                AccumulateKernelGradients(du, cout, cin, gw);
                pool.Return(du);
            }
            if (gx is null || (u is null && panelWeights is null)) return;
            // The input's products overwrite V_tap with dV_tap.
            if (panelWeights is not null) PanelProducts(gm, gTap, cout, tiles, panelWeights, cin, cout, forward: false, v, vTap, cin);
            else Engine.For(Taps, tap => Blas.Sgemm(false, false, tiles, cin, cout, 1f, gm.AsSpan(tap * gTap), cout, u!.AsSpan(tap * uTap), cin, 0f, v.AsSpan(tap * vTap), cin));
            // Tiles of one image overlap by two rows and columns: each (image, channel block) sums its own tiles.
            Engine.For(fwd.N * blocks, nb =>
            {
                int n = nb / blocks, b = nb % blocks;
                var window = pool.Rent(fwd.PackedBlock);
                try
                {
                    fixed (float* pw = window, pv = v, pgx = gx)
                    {
                        new Span<float>(pw, fwd.PackedBlock).Clear();
                        for (int r = 0; r < fwd.TilesPerImage; r++)
                            InputTileGradient(fwd, pv + (long)(n * fwd.TilesPerImage + r) * cin + b * Lanes, vTap, r, pw);
                        UnpackAdd(fwd, pw, n, b, pgx);
                    }
                }
                finally { pool.Return(window); }
            });
        }
        finally
        {
            if (packedX is not null) pool.Return(packedX);
            pool.Return(packedG); pool.Return(v); pool.Return(gm);
        }
    }

    private static int Tiles(int outSize) => (outSize + 3) / 4;

    /// <summary>
    /// How a convolution's tiles are cut into chunks that pass through input transform, 36 products
    /// and output transform together. Many tiles: chunks of at most about <see cref="ChunkFloats"/> floats of
    /// V and M, as many as a multiple of the threads and of one size, run in parallel. Few tiles (ResNet's 7x7 and
    /// 4x4 stages): one chunk whose 36 products are split between the threads (<see cref="ByTap"/>), so the
    /// transformed kernels, up to 4x the size of the weights, are read once.
    /// </summary>
    internal readonly record struct Schedule(int Tiles, int Chunk, bool ByTap)
    {
        /// <summary>
        /// Chunks as many as a multiple of the threads (of four, up to four threads), of one size. Chunks of the largest size left the last one
        /// short, and one thread idle while the other ran it (ResNet-18's 64-channel stage at batch 16: 227, 227, 227
        /// and 103 tiles); evened out, resnet-train ran 4-5 % and resnet-infer 2-3 % faster (session 20, Zen 4, two
        /// threads, alternating steps). Benches turn this off to compare.
        /// </summary>
        internal static bool BalancedChunks = true;

        public int Chunks => (Tiles + Chunk - 1) / Chunk;

        public static Schedule For(int tiles, int cin, int cout, int threads)
        {
            // Few tiles make one chunk on one thread too, cut as on more (the same products, so the same bits).
            bool byTap = (threads > 1 || BalancedChunks) && (long)tiles * Taps * (cin + cout) <= 2L * ChunkFloats;
            int chunk = byTap ? tiles : Math.Min(Math.Max(ChunkFloats / (Taps * (cin + cout)), 4), tiles);
            if (!byTap && BalancedChunks)
            {
                // A multiple of 4 for up to four threads, so that one, two and four threads cut the tiles alike: the
                // products' rounding (OpenBLAS's depends on their row count) is then the same whatever the thread count.
                int quantum = Math.Max(4, threads);
                int chunks = (tiles + chunk - 1) / chunk;
                chunks = (chunks + quantum - 1) / quantum * quantum;
                chunk = Math.Max(1, (tiles + chunks - 1) / chunks);
            }
            else if (!byTap) chunk = Math.Min(chunk, (tiles + threads - 1) / threads);
            return new Schedule(tiles, chunk, byTap);
        }
    }

    /// <summary>One Winograd convolution's sizes: input [N, Cin, H, W] read with padding (PadH, PadW), output [N, Cout, OH, OW].</summary>
    private readonly record struct Geometry(int N, int Cin, int Cout, int H, int W, int PadH, int PadW, int OH, int OW)
    {
        public static Geometry Forward(ConvPlan p) => new(p.Batch, p.Channels, p.OutChannels,
            p.Window.In[1], p.Window.In[2], p.Window.Padding[1], p.Window.Padding[2], p.Window.Out[1], p.Window.Out[2]);

        /// <summary>The output gradient read as an unpadded input of the forward's tiling: tile t's 4x4 block at its origin.</summary>
        public static Geometry Gradient(ConvPlan p) => new(p.Batch, p.OutChannels, p.Channels,
            p.Window.Out[1], p.Window.Out[2], 0, 0, p.Window.Out[1], p.Window.Out[2]);

        public int TilesH => Tiles(OH);
        public int TilesW => Tiles(OW);
        public int TilesPerImage => TilesH * TilesW;
        /// <summary>Rows and columns of the repacked input: every tile's 6x6 window lies inside.</summary>
        public int PackedH => TilesH * 4 + 2;
        public int PackedW => TilesW * 4 + 2;
        public int PackedBlock => PackedH * PackedW * Lanes;
    }

    /// <summary>
    /// y = the convolution of x with the transformed kernels <paramref name="u"/>, or with <paramref name="panelWeights"/>'
    /// transformed block by block (<see cref="PanelProducts"/>, where <see cref="ByPanels"/> holds: u is then null).
    /// </summary>
    private static void Run(Geometry s, float[] x, float[]? u, bool transposedKernels, float[]? bias, float[] y, bool accumulate, ConvEpilogue? epilogue,
        float[]? panelWeights = null)
    {
        int blocks = s.Cin / Lanes;
        var packed = ArrayPool<float>.Shared.Rent(s.N * blocks * s.PackedBlock);
        try
        {
            Engine.For(s.N * blocks, nb => Pack(s, x, nb, packed));
            var plan = Schedule.For(s.N * s.TilesPerImage, s.Cin, s.Cout, Engine.Threads);
            int tiles = plan.Tiles, chunk = plan.Chunk;
            // A chunk's tiles through input transform, 36 products and output transform; with split,
            // each stage is shared between the threads (the products tap by tap).
            void Chunk(int c, bool split)
            {
                int t0 = c * chunk, count = Math.Min(chunk, tiles - t0);
                int vTap = TapStride(chunk * s.Cin), mTap = TapStride(chunk * s.Cout), uTap = TapStride(s.Cin * s.Cout);
                var v = ArrayPool<float>.Shared.Rent(Taps * vTap);
                var m = ArrayPool<float>.Shared.Rent(Taps * mTap);
                int parts = split ? Math.Min(Engine.Threads, count) : 1;
                void Product(int tap) => Blas.Sgemm(false, transposedKernels, count, s.Cout, s.Cin, 1f, v.AsSpan(tap * vTap), s.Cin,
                    u!.AsSpan(tap * uTap), transposedKernels ? s.Cin : s.Cout, 0f, m.AsSpan(tap * mTap), s.Cout);
                try
                {
                    Engine.For(parts, part =>
                    {
                        fixed (float* pv = v, pp = packed)
                            for (int t = part * count / parts; t < (part + 1) * count / parts; t++) InputTile(s, pp, t0 + t, pv + t * s.Cin, vTap);
                    });
                    if (panelWeights is not null) PanelProducts(v, vTap, s.Cin, count, panelWeights, s.Cin, s.Cout, forward: true, m, mTap, s.Cout);
                    else if (split) Engine.For(Taps, Product);
                    else for (int tap = 0; tap < Taps; tap++) Product(tap);
                    Engine.For(parts, part =>
                    {
                        fixed (float* pm = m, py = y, pb = bias, es = epilogue?.Scale, et = epilogue?.Shift, er = epilogue?.Residual)
                            for (int t = part * count / parts; t < (part + 1) * count / parts; t++)
                                OutputTile(s, pm + t * s.Cout, mTap, t0 + t, pb, py, accumulate, es, et, er, epilogue?.Relu ?? false);
                    });
                }
                finally { ArrayPool<float>.Shared.Return(v); ArrayPool<float>.Shared.Return(m); }
            }
            if (plan.ByTap) Chunk(0, split: true);
            else Engine.For(plan.Chunks, c => Chunk(c, split: false));
        }
        finally { ArrayPool<float>.Shared.Return(packed); }
    }

    /// <summary>
    /// gw += G^T dU G with dU_tap = dM_tap^T V_tap over all tiles, a block of output channels at a time: the block's 36
    /// products go to a buffer of about half the L2 and are folded into gw from there, instead of all of dU (38 MB at
    /// 512 x 512 channels) going to memory and back. Blocks are independent (each owns its rows of gw).
    /// </summary>
    private static void WeightGradientByBlocks(float[] gm, int gTap, float[] v, int vTap, int tiles, int cout, int cin, float[] gw)
    {
        int oBlock = Math.Clamp(Engine.L2CacheBytes / 2 / (Taps * cin * sizeof(float)) / Lanes * Lanes, Lanes, cout);
        // On the AVX-512 path V is packed into the register tile's panels once, not once per block by each product.
        var panels = PanelsFor(cin) ? PackPanels(v, vTap, tiles, cin) : null;
        Engine.For((cout + oBlock - 1) / oBlock, ob =>
        {
            int o0 = ob * oBlock, count = Math.Min(oBlock, cout - o0), duTap = TapStride(count * cin);
            var du = ArrayPool<float>.Shared.Rent(Taps * duTap);
            try
            {
                if (panels is not null) PanelWeightGradient(gm, gTap, o0, count, cout, panels, tiles, cin, du, duTap);
                else
                    for (int tap = 0; tap < Taps; tap++)
                        Blas.Sgemm(true, false, count, cin, tiles, 1f, gm.AsSpan(tap * gTap + o0), cout, v.AsSpan(tap * vTap), cin,
                            0f, du.AsSpan(tap * duTap), cin);
                fixed (float* pd = du, pw = gw)
                    for (int o = 0; o < count; o++) AccumulateKernelGradient(pd + (long)o * cin, duTap, cin, pw + (long)(o0 + o) * cin * 9, 1);
            }
            finally { ArrayPool<float>.Shared.Return(du); }
        });
        if (panels is not null) ArrayPool<float>.Shared.Return(panels);
    }
}
