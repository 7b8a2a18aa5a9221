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
/// the kernels flipped and their channel axes swapped (<see cref="BackwardData"/>); the weight
/// gradient comes from the same two transforms of input and output gradient (<see cref="BackwardWeights"/>).
/// Rounding differs from the direct product by a few units in the 5th-6th significant digit;
/// <see cref="Engine.Winograd"/> turns it off.
/// </summary>
internal static unsafe class Winograd
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
        if (keepKernels && AdjointInputGradient && Applies(p, backward: true)
            && Schedule.For(p.Batch * Tiles(p.Window.Out[1]) * Tiles(p.Window.Out[2]), p.Channels, p.OutChannels, Engine.Threads).ByTap)
        {
            var u = TensorMemory.Rent(Taps * TapStride(p.Channels * p.OutChannels));
            TransformKernels(w, p.OutChannels, p.Channels, flipped: false, u);
            Run(Geometry.Forward(p), x, u, transposedKernels: true, bias, y, accumulate: false, epilogue);
            return u;
        }
        Convolve(Geometry.Forward(p), x, w, p, flipped: false, bias, y, epilogue);
        return null;
    }

    /// <summary>On: the forward keeps its transformed kernels for <see cref="BackwardByTap"/> where it applies; benches turn it off to compare.</summary>
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
        var win = p.Window;
        var fwd = Geometry.Forward(p);
        // The output gradient read as an unpadded input of the same tiling: tile t's 4x4 block at its origin.
        var grad = new Geometry(p.Batch, p.OutChannels, p.Channels, win.Out[1], win.Out[2], 0, 0, win.Out[1], win.Out[2]);
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
    public static void BackwardByTap(ConvPlan p, float[] x, float[] gy, float[]? gx, float[]? gw, float[]? u)
    {
        var win = p.Window;
        var fwd = Geometry.Forward(p);
        var grad = new Geometry(p.Batch, p.OutChannels, p.Channels, win.Out[1], win.Out[2], 0, 0, win.Out[1], win.Out[2]);
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
            if (gx is null || u is null) return;
            // The input's products overwrite V_tap with dV_tap.
            Engine.For(Taps, tap => Blas.Sgemm(false, false, tiles, cin, cout, 1f, gm.AsSpan(tap * gTap), cout, u.AsSpan(tap * uTap), cin, 0f, v.AsSpan(tap * vTap), cin));
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

        public int TilesH => Tiles(OH);
        public int TilesW => Tiles(OW);
        public int TilesPerImage => TilesH * TilesW;
        /// <summary>Rows and columns of the repacked input: every tile's 6x6 window lies inside.</summary>
        public int PackedH => TilesH * 4 + 2;
        public int PackedW => TilesW * 4 + 2;
        public int PackedBlock => PackedH * PackedW * Lanes;
    }

    private static void Run(Geometry s, float[] x, float[] u, bool transposedKernels, float[]? bias, float[] y, bool accumulate, ConvEpilogue? epilogue)
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
                    u.AsSpan(tap * uTap), transposedKernels ? s.Cin : s.Cout, 0f, m.AsSpan(tap * mTap), s.Cout);
                try
                {
                    Engine.For(parts, part =>
                    {
                        fixed (float* pv = v, pp = packed)
                            for (int t = part * count / parts; t < (part + 1) * count / parts; t++) InputTile(s, pp, t0 + t, pv + t * s.Cin, vTap);
                    });
                    if (split) Engine.For(Taps, Product);
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

    /// <summary>
    /// gw += G^T dU G with dU_tap = dM_tap^T V_tap over all tiles, a block of output channels at a time: the block's 36
    /// products go to a buffer of about half the L2 and are folded into gw from there, instead of all of dU (38 MB at
    /// 512 x 512 channels) going to memory and back. Blocks are independent (each owns its rows of gw).
    /// </summary>
    private static void WeightGradientByBlocks(float[] gm, int gTap, float[] v, int vTap, int tiles, int cout, int cin, float[] gw)
    {
        int oBlock = Math.Clamp(Engine.L2CacheBytes / 2 / (Taps * cin * sizeof(float)) / Lanes * Lanes, Lanes, cout);
        Engine.For((cout + oBlock - 1) / oBlock, ob =>
        {
            int o0 = ob * oBlock, count = Math.Min(oBlock, cout - o0), duTap = TapStride(count * cin);
            var du = ArrayPool<float>.Shared.Rent(Taps * duTap);
            try
            {
                for (int tap = 0; tap < Taps; tap++)
                    Blas.Sgemm(true, false, count, cin, tiles, 1f, gm.AsSpan(tap * gTap + o0), cout, v.AsSpan(tap * vTap), cin,
                        0f, du.AsSpan(tap * duTap), cin);
                fixed (float* pd = du, pw = gw)
                    for (int o = 0; o < count; o++) AccumulateKernelGradient(pd + (long)o * cin, duTap, cin, pw + (long)(o0 + o) * cin * 9, 1);
            }
            finally { ArrayPool<float>.Shared.Return(du); }
        });
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
