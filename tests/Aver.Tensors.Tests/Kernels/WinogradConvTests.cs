using Aver.Tensors.Kernels;

namespace Aver.Tensors.Tests.Kernels;

using static TestData;

/// <summary>
/// 3x3 stride-1 convolutions go through Winograd's F(4x4, 3x3) when their channel counts are
/// multiples of 8: output and input gradient checked against the direct convolution in double,
/// across paddings, sizes that leave partial edge tiles, and batches split into several chunks.
/// Winograd is taken at every output size here, also where the CPU's policy gives small ones to im2col.
/// </summary>
public class WinogradConvTests : IDisposable
{
    public WinogradConvTests() => Winograd.OnSmallOutputs = true;

    public void Dispose() => Winograd.OnSmallOutputs = false;

    [Theory]
    [InlineData(2, 8, 8, 8, 8, 1)]      // two whole tiles per row
    [InlineData(3, 16, 7, 7, 8, 1)]     // ResNet's 7x7 stage: partial edge tiles
    [InlineData(2, 8, 4, 4, 16, 1)]     // ResNet's 4x4 stage: one tile per image
    [InlineData(1, 8, 13, 11, 8, 0)]    // "valid" padding, odd sizes
    [InlineData(2, 8, 9, 10, 8, 2)]     // padding 2 (the input gradient then has padding 0)
    [InlineData(5, 16, 28, 28, 24, 1)]  // 245 tiles: one chunk, its 36 products split between threads
    [InlineData(8, 64, 30, 30, 64, 1)]  // 512 tiles: several chunks, in parallel (the weight gradient summed chunk by chunk)
    [InlineData(16, 256, 12, 12, 256, 1)] // 144 tiles, a weight-gradient dU too big to sum chunk by chunk: one chunk shared
    [InlineData(1, 64, 6, 6, 8, 1)]     // many input channels, few output channels
    public void MatchesDirectConvolution(int n, int c, int h, int wd, int o, int pad)
    {
        var x = Rand(11, n, c, h, wd); var w = Rand(12, o, c, 3, 3); var b = Rand(13, o);
        var y = x.Conv2d(w, b, 1, pad);
        var gy = Rand(14, y.Shape.ToArray());
        y.Backward(gy);
        var (ey, egx, egw) = ConvTilingTests.Direct(x, w, b, gy, 1, pad);
        float tol = 2e-5f * c * 9;  // rounding grows with the length of each sum
        Fixture.AssertClose(ey, y.Data, "output", 1e-4f, tol);
        Fixture.AssertClose(egx, x.Grad!, "input gradient", 1e-4f, tol);
        Fixture.AssertClose(egw, w.Grad!, "weight gradient", 1e-4f, 1e-3f);
    }

    [Fact]
    public void TakesADifferentPathThanIm2ColAndAgreesWithIt()
    {
        if (CpuFeatures.Supported < IsaPath.Avx2) return;   // no Winograd path on this CPU (ConvPathCoverageTests cover the scalar one)
        // Winograd runs on the AVX2 and AVX-512 paths: the CPU's own, even where AVER_ISA forces the scalar path for the run.
        var isa = Engine.Isa;
        Engine.Isa = CpuFeatures.Supported;
        try
        {
            var x = Rand(21, 2, 16, 14, 14); var w = Rand(22, 32, 16, 3, 3);
            var fast = x.Conv2d(w, null, 1, 1);
            fast.Backward(Rand(23, 2, 32, 14, 14));
            var fastGrad = x.Grad!.ToArray();
            x.ZeroGrad();
            Engine.Winograd = false;
            var plain = x.Conv2d(w, null, 1, 1);
            plain.Backward(Rand(23, 2, 32, 14, 14));
            Fixture.AssertClose(plain.Data, fast.Data, "output", 1e-4f, 1e-4f);
            Fixture.AssertClose(x.Grad!, fastGrad, "input gradient", 1e-4f, 1e-4f);
            // Same values up to rounding, but not the same arithmetic: the Winograd path really ran.
            Assert.False(plain.Data.AsSpan().SequenceEqual(fast.Data));
        }
        finally { Engine.Winograd = true; Engine.Isa = isa; }
    }

    [Fact]
    public void ChannelCountsOffTheVectorWidthUseIm2Col()
    {
        var x = Rand(31, 2, 6, 9, 9); var w = Rand(32, 5, 6, 3, 3);
        var y = x.Conv2d(w, null, 1, 1);
        Engine.Winograd = false;
        try { Assert.True(x.Conv2d(w, null, 1, 1).Data.AsSpan().SequenceEqual(y.Data)); }
        finally { Engine.Winograd = true; }
    }

    [Fact]
    public void InferenceKeepsTransformedKernelsOnlyWhileTheWeightsStayTheSame()
    {
        var x = Rand(41, 2, 16, 12, 12); var w = Rand(42, 16, 16, 3, 3);
        float[] Infer() { using var _ = GradMode.NoGrad(); return x.Conv2d(w, null, 1, 1).Data; }
        float[] Reference() => x.Conv2d(w, null, 1, 1).Data;  // with gradients: transformed afresh
        var first = Infer();
        Assert.True(Infer().AsSpan().SequenceEqual(first));
        Assert.True(Reference().AsSpan().SequenceEqual(first));
        w.Data[5] += 0.5f;   // an in-place update, as an optimiser step makes
        var changed = Infer();
        Assert.False(changed.AsSpan().SequenceEqual(first));
        Assert.True(Reference().AsSpan().SequenceEqual(changed));
    }

    [Theory]
    [InlineData(2, 8, 4, 4, 16, 1, true)]    // ResNet's 4x4 stage: one tile per image
    [InlineData(3, 16, 7, 7, 8, 1, true)]    // its 7x7 stage: partial edge tiles, four overlapping windows per image
    [InlineData(1, 8, 13, 11, 8, 0, true)]   // "valid" padding, odd sizes: input rows and columns no window pads
    [InlineData(2, 8, 9, 10, 8, 2, true)]    // padding 2
    [InlineData(4, 32, 7, 7, 64, 1, false)]  // frozen weights: the input gradient alone
    public void InputGradientByTheForwardsKernelsMatchesTheFlippedOnes(int n, int c, int h, int wd, int o, int pad, bool trainWeights)
    {
        (float[] y, float[] gx, float[] gw) Run(bool adjoint)
        {
            var x = Rand(71, n, c, h, wd); var w = Rand(72, o, c, 3, 3).RequireGrad(trainWeights);
            Winograd.AdjointInputGradient = adjoint;
            Winograd.KernelPanels = false;   // the kept kernels are the transform-once path's
            try
            {
                var y = x.Conv2d(w, Rand(74, o), 1, pad);
                y.Backward(Rand(73, y.Shape.ToArray()));
                return (y.Data, x.Grad!, trainWeights ? w.Grad! : []);
            }
            finally { Winograd.AdjointInputGradient = true; Winograd.KernelPanels = true; }
        }
        if (CpuFeatures.Supported < IsaPath.Avx2) return;   // no Winograd path on this CPU
        // Winograd runs on the AVX2 and AVX-512 paths: the CPU's own, even where AVER_ISA forces the scalar path for the run.
        var isa = Engine.Isa;
        Engine.Isa = CpuFeatures.Supported;
        (float[] y, float[] gx, float[] gw) kept, flipped;
        try { kept = Run(adjoint: true); flipped = Run(adjoint: false); }
        finally { Engine.Isa = isa; }
        Assert.True(kept.y.AsSpan().SequenceEqual(flipped.y), "the forward pass is the same");
        // Another sum of the same terms: not the same bits, the same values.
        Assert.False(kept.gx.AsSpan().SequenceEqual(flipped.gx), "the adjoint ran");
        var x = Rand(71, n, c, h, wd); var w = Rand(72, o, c, 3, 3);
        var gyShape = new[] { n, o, h + 2 * pad - 2, wd + 2 * pad - 2 };
        var (_, egx, egw) = ConvTilingTests.Direct(x, w, Rand(74, o), Rand(73, gyShape), 1, pad);
        float tol = 2e-5f * o * 9;
        Fixture.AssertClose(egx, kept.gx, "input gradient", 1e-4f, tol);
        if (trainWeights)
        {
            Fixture.AssertClose(egw, kept.gw, "weight gradient", 1e-4f, 1e-3f);
            Fixture.AssertClose(flipped.gw, kept.gw, "weight gradient", 1e-5f, 1e-5f);
        }
    }

    [Theory]
    [InlineData(3, 32, 4, 4, 64, true, 1 << 20)]    // ResNet's 4x4 stage: 3 rows of tiles, fewer than a register tile's 8
    [InlineData(10, 64, 7, 7, 32, true, 1 << 20)]   // its 7x7 stage: 40 rows, five whole register tiles
    [InlineData(3, 128, 7, 7, 96, true, 64 << 10)]  // a small L2: panels of 8 steps, K summed in 16 (forward) and 12 runs
    [InlineData(2, 32, 4, 4, 32, false, 64 << 10)]  // frozen weights: the input gradient alone
    public void ProductsByKernelPanelsMatchTheDirectConvolution(int n, int c, int h, int wd, int o, bool trainWeights, int l2Bytes)
    {
        (float[] y, float[] gx, float[] gw) Run(bool panels)
        {
            var x = Rand(91, n, c, h, wd).RequireGrad(); var w = Rand(92, o, c, 3, 3).RequireGrad(trainWeights);
            Winograd.KernelPanels = panels;
            try
            {
                var y = x.Conv2d(w, Rand(94, o), 1, 1);
                y.Backward(Rand(93, y.Shape.ToArray()));
                return (y.Data, x.Grad!, trainWeights ? w.Grad! : []);
            }
            finally { Winograd.KernelPanels = true; }
        }
        if (CpuFeatures.Supported < IsaPath.Avx512) return;   // the panels feed the AVX-512 register tile
        var isa = Engine.Isa;
        int l2 = Engine.L2CacheBytes;
        Engine.Isa = CpuFeatures.Supported;
        Engine.L2CacheBytes = l2Bytes;
        (float[] y, float[] gx, float[] gw) panels, kernels;
        try { panels = Run(panels: true); kernels = Run(panels: false); }
        finally { Engine.Isa = isa; Engine.L2CacheBytes = l2; }
        var (ey, egx, egw) = ConvTilingTests.Direct(Rand(91, n, c, h, wd), Rand(92, o, c, 3, 3), Rand(94, o), Rand(93, n, o, h, wd), 1, 1);
        Fixture.AssertClose(ey, panels.y, "output", 1e-4f, 2e-5f * c * 9);
        Fixture.AssertClose(egx, panels.gx, "input gradient", 1e-4f, 2e-5f * o * 9);
        Fixture.AssertClose(kernels.y, panels.y, "output, transformed once", 1e-5f, 1e-5f * c * 9);
        Fixture.AssertClose(kernels.gx, panels.gx, "input gradient, transformed once", 1e-5f, 1e-5f * o * 9);
        if (trainWeights) Fixture.AssertClose(egw, panels.gw, "weight gradient", 1e-4f, 1e-3f);
        if (l2Bytes < 1 << 20) Assert.False(kernels.y.AsSpan().SequenceEqual(panels.y), "the panels ran (K summed in runs: other bits)");
    }

    [Theory]
    [InlineData(2, 16, 4, 4, 24, true)]    // blocks of 8 output channels (32 KB of dU: 8 x 16 inputs x 36 taps)
    [InlineData(2, 8, 4, 4, 40, true)]     // blocks of 24 and 16
    [InlineData(3, 16, 7, 7, 8, true)]     // one block
    [InlineData(2, 16, 4, 4, 24, false)]   // the input not trained: the weight gradient alone
    public void WeightGradientByBlocksOfOutputChannelsMatchesTheWholeDU(int n, int c, int h, int wd, int o, bool inputGradient)
    {
        float[] Run(bool blocks)
        {
            var x = Rand(81, n, c, h, wd).RequireGrad(inputGradient); var w = Rand(82, o, c, 3, 3);
            Winograd.WeightGradientInBlocks = blocks;
            try
            {
                var y = x.Conv2d(w, Rand(84, o), 1, 1);
                y.Backward(Rand(83, y.Shape.ToArray()));
                return w.Grad!;
            }
            finally { Winograd.WeightGradientInBlocks = true; }
        }
        int l2 = Engine.L2CacheBytes;
        Engine.L2CacheBytes = 64 << 10;   // blocks of up to 32 KB of dU
        try
        {
            var blocks = Run(blocks: true);
            var whole = Run(blocks: false);
            Fixture.AssertClose(whole, blocks, "weight gradient", 1e-5f, 1e-5f);
            var (_, _, egw) = ConvTilingTests.Direct(Rand(81, n, c, h, wd), Rand(82, o, c, 3, 3), Rand(84, o), Rand(83, n, o, h, wd), 1, 1);
            Fixture.AssertClose(egw, blocks, "weight gradient", 1e-4f, 1e-3f);
        }
        finally { Engine.L2CacheBytes = l2; }
    }

    [Theory]
    [InlineData(2, 96, 6, 6, 96)]     // one pass of 12 blocks of eight kernels per output channel
    [InlineData(1, 576, 4, 4, 16)]    // 72 blocks: a pass of 64 and one of 8
    public void KernelTransformsByRowsOfTapsGiveTheSameBits(int n, int c, int h, int wd, int o)
    {
        (float[] y, float[] gx, float[] gw) Run(bool spread)
        {
            var x = Rand(61, n, c, h, wd); var w = Rand(62, o, c, 3, 3);
            Winograd.SpreadTaps = spread;
            try
            {
                var y = x.Conv2d(w, Rand(64, o), 1, 1);
                y.Backward(Rand(63, y.Shape.ToArray()));
                return (y.Data, x.Grad!, w.Grad!);
            }
            finally { Winograd.SpreadTaps = true; }
        }
        int l2 = Engine.L2CacheBytes;
        Engine.L2CacheBytes = 64 << 10;   // tap matrices of 36 KB past half of it: the transforms go by rows of taps
        try
        {
            Assert.True(Winograd.RowPasses(o, c));
            var rows = Run(spread: true);
            var streams = Run(spread: false);   // 36 taps at once, one matrix right after another
            Assert.True(rows.y.AsSpan().SequenceEqual(streams.y), "output");
            Assert.True(rows.gx.AsSpan().SequenceEqual(streams.gx), "input gradient");
            Assert.True(rows.gw.AsSpan().SequenceEqual(streams.gw), "weight gradient");
            var x = Rand(61, n, c, h, wd); var w = Rand(62, o, c, 3, 3);
            var (ey, egx, egw) = ConvTilingTests.Direct(x, w, Rand(64, o), Rand(63, n, o, h, wd), 1, 1);
            float tol = 2e-5f * c * 9;
            Fixture.AssertClose(ey, rows.y, "output", 1e-4f, tol);
            Fixture.AssertClose(egx, rows.gx, "input gradient", 1e-4f, tol);
            Fixture.AssertClose(egw, rows.gw, "weight gradient", 1e-4f, 1e-3f);
        }
        finally { Engine.L2CacheBytes = l2; }
    }

    [Theory]
    [InlineData(8, 64, 30, 30, 64)]   // chunked over the tiles (one thread sums three chunks of the weight gradient)
    [InlineData(4, 32, 7, 7, 64)]     // few tiles: the 36 products split between threads
    public void OneThreadAndTwoAgree(int n, int c, int h, int wd, int o)
    {
        (float[] y, float[] gx, float[] gw) Run(int threads)
        {
            int before = Engine.Threads;
            Engine.Threads = threads;
            try
            {
                var x = Rand(51, n, c, h, wd); var w = Rand(52, o, c, 3, 3);
                var y = x.Conv2d(w, null, 1, 1);
                y.Backward(Rand(53, y.Shape.ToArray()));
                return (y.Data, x.Grad!, w.Grad!);
            }
            finally { Engine.Threads = before; }
        }
        var one = Run(1); var two = Run(2);
        Fixture.AssertClose(one.y, two.y, "output", 1e-5f, 1e-5f);
        Fixture.AssertClose(one.gx, two.gx, "input gradient", 1e-5f, 1e-5f);
        // The weight gradient's sum over tiles is cut into one partial sum per thread: within the accuracy the
        // direct-convolution test allows it, not bit for bit.
        Fixture.AssertClose(one.gw, two.gw, "weight gradient", 1e-4f, 1e-3f);
    }

    [Theory]
    [InlineData(784, 64, 64, 2)]   // ResNet-18's first stage at batch 16: 227-tile chunks left one thread 103 tiles
    [InlineData(1568, 64, 64, 2)]
    [InlineData(256, 128, 128, 2)]
    [InlineData(4608, 32, 32, 2)]  // the FER network's first stage at batch 64
    [InlineData(1000, 64, 64, 4)]
    [InlineData(3000, 64, 64, 6)]
    public void ChunksShareTheTilesEvenlyBetweenTheThreads(int tiles, int cin, int cout, int threads)
    {
        var plan = Winograd.Schedule.For(tiles, cin, cout, threads);
        Assert.False(plan.ByTap);
        Assert.Equal(0, plan.Chunks % threads);
        // One, two and four threads cut the tiles alike (OneThreadAndTwoAgree holds on OpenBLAS's path too).
        if (threads <= 4) Assert.Equal(plan, Winograd.Schedule.For(tiles, cin, cout, 1));
        // Chunks of one size but for a shorter last one, taken in turn: the threads' shares differ by a few tiles
        // (less than one per chunk), not by most of a chunk.
        var share = new int[threads];
        for (int c = 0; c < plan.Chunks; c++) share[c % threads] += Math.Min(plan.Chunk, tiles - c * plan.Chunk);
        Assert.Equal(tiles, share.Sum());
        Assert.True(share.Max() - share.Min() < plan.Chunks, $"shares {string.Join(", ", share)} of chunks of {plan.Chunk}");
        Assert.True(plan.Chunk <= Math.Max(4, (1024 * 1024) / (36 * (cin + cout))), "a chunk stays within the cache budget");
    }
}
