using Aver.Tensors.Kernels;

namespace Aver.Tensors.Tests.Kernels;

using static TestData;

/// <summary>
/// Every code path of ResNet-18's convolutions, whatever machine the tests run on: each instruction-set
/// path the CPU supports (forced through <see cref="Engine.Isa"/>; the scalar path has no Winograd),
/// L2 cache sizes of 256 KiB to 2 MiB (which size im2col's tiles), one thread and two (which decide
/// Winograd's chunking), Winograd where this CPU's policy takes it and at every size it can serve, on the
/// real layer shapes of a 112x112 ResNet-18 at batch 1 and 16 — output, input gradient and weight gradient
/// each against a direct convolution summed in double precision.
/// Added after a CI failure on an AVX-512 machine (issue 13) that looked like a Winograd defect and
/// was a reference input with a ReLU 1.5e-6 from its kink; these tests pin the kernels themselves.
/// </summary>
public class ConvPathCoverageTests
{
    private static readonly int[] CacheSizes = [256 << 10, 512 << 10, 1 << 20, 2 << 20];
    private static readonly int[] ThreadCounts = [1, 2];

    /// <summary>ResNet-18's convolutions at 112x112 input: name, channels, size, outputs, kernel, stride, padding.</summary>
    public static TheoryData<string, int, int, int, int, int, int, int> Layers() => new()
    {
        { "conv1 7x7/2", 1, 3, 112, 64, 7, 2, 3 },
        { "conv1 7x7/2", 16, 3, 112, 64, 7, 2, 3 },
        { "layer1 3x3 28x28 (many tiles)", 1, 64, 28, 64, 3, 1, 1 },
        { "layer1 3x3 28x28 (many tiles)", 16, 64, 28, 64, 3, 1, 1 },
        { "layer2.0 3x3/2", 16, 64, 28, 128, 3, 2, 1 },
        { "layer2.0 downsample 1x1/2", 16, 64, 28, 128, 1, 2, 0 },
        { "layer3.0 3x3/2 (interleaved samples)", 16, 128, 14, 256, 3, 2, 1 },
        { "layer4.0 3x3/2 (odd input, 4x4 output)", 16, 256, 7, 512, 3, 2, 1 },
        { "layer2 3x3 14x14", 1, 128, 14, 128, 3, 1, 1 },
        { "layer2 3x3 14x14", 16, 128, 14, 128, 3, 1, 1 },
        { "layer3 3x3 7x7 (partial tiles)", 1, 256, 7, 256, 3, 1, 1 },
        { "layer3 3x3 7x7 (partial tiles)", 16, 256, 7, 256, 3, 1, 1 },
        { "layer4 3x3 4x4 (one tile per image)", 1, 512, 4, 512, 3, 1, 1 },
        { "layer4 3x3 4x4 (one tile per image)", 16, 512, 4, 512, 3, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void EveryPathMatchesTheDirectConvolutionInDouble(string layer, int n, int c, int size, int o, int k, int stride, int pad)
    {
        var x = Rand(61, n, c, size, size); var w = Rand(62, o, c, k, k); var b = Rand(63, o);
        int outSize = (size + 2 * pad - k) / stride + 1;
        var gy = Rand(64, n, o, outSize, outSize);
        var (ey, egx, egw) = ConvTilingTests.Direct(x, w, b, gy, stride, pad);
        var (isa, l2, threads) = (Engine.Isa, Engine.L2CacheBytes, Engine.Threads);
        try
        {
            foreach (var path in Enum.GetValues<IsaPath>())
            {
                if (path > CpuFeatures.Supported) continue;
                Engine.Isa = path;
                // The policy's choice, then Winograd at every size where that differs (small outputs on full-rate AVX-512).
                bool policyDiffers = Winograd.MinTilesPerImage(backward: true) > 1 || Winograd.MinTilesPerImage(backward: false) > 1;
                foreach (bool everywhere in policyDiffers ? new[] { false, true } : [false])
                    foreach (int cache in CacheSizes)
                        foreach (int t in ThreadCounts)
                        {
                            (Engine.Isa, Engine.L2CacheBytes, Engine.Threads, Winograd.OnSmallOutputs) = (path, cache, t, everywhere);
                            x.ZeroGrad(); w.ZeroGrad(); b.ZeroGrad();
                            var y = x.Conv2d(w, b, stride, pad);
                            y.Backward(gy);
                            string at = $"{layer}, batch {n}, {path}, L2 {cache >> 10} KiB, {t} thread(s){(everywhere ? ", Winograd at every size" : "")}";
                            AssertNear(ey, y.Data, $"{at}: output");
                            AssertNear(egx, x.Grad!, $"{at}: input gradient");
                            AssertNear(egw, w.Grad!, $"{at}: weight gradient");
                        }
            }
        }
        finally { (Engine.Isa, Engine.L2CacheBytes, Engine.Threads, Winograd.OnSmallOutputs) = (isa, l2, threads, false); }
    }

    [Fact]
    public void TheLayersCoverEveryWinogradChunkingRegime()
    {
        // tiles = batch x tiles per image; the schedule depends on tiles, channels and threads only
        var manyChunks = Winograd.Schedule.For(16 * 49, 64, 64, 2);     // layer1 at batch 16
        var byTap = Winograd.Schedule.For(16 * 4, 256, 256, 2);         // layer3 (7x7 -> 2x2 partial tiles)
        var oneThread = Winograd.Schedule.For(16 * 49, 64, 64, 1);
        Assert.True(manyChunks is { ByTap: false, Chunks: > 2 }, manyChunks.ToString());
        Assert.True(byTap.ByTap, byTap.ToString());
        // One thread sums several chunks in turn; few tiles it cuts as two threads do (one chunk, the taps in turn).
        Assert.True(oneThread is { ByTap: false, Chunks: > 1 }, oneThread.ToString());
        Assert.Equal(byTap, Winograd.Schedule.For(16 * 4, 256, 256, 1));
    }

    [Fact]
    public void StrideTwoConvolutionsReadPhasePlanes()
    {
        ConvPlan Plan(int[] shape, int rank, int k, int s, int p) => new(shape[0], shape[1], 8, 1,
            Window.Create("conv", shape, rank, [1, k, k], [1, s, s], [0, p, p], [1, 1, 1]));
        Assert.True(Plan([16, 64, 28, 28], 2, 3, 2, 1).Phased);       // 3x3/2
        Assert.True(Plan([16, 3, 112, 112], 2, 7, 2, 3).Phased);      // the stem
        Assert.False(Plan([16, 64, 28, 28], 2, 1, 2, 0).Phased);      // the 1x1/2 downsample: one plane of four would be read
        Assert.False(Plan([16, 128, 14, 14], 2, 3, 2, 1).Phased);     // into 7x7: samples interleaved as blocks instead
        Assert.False(Plan([16, 64, 28, 28], 2, 3, 1, 1).Phased);      // stride 1
        var depth = new ConvPlan(2, 4, 8, 1, Window.Create("conv", [2, 4, 6, 8, 8], 3, [3, 3, 3], [2, 2, 2], [1, 1, 1], [1, 1, 1]));
        Assert.False(depth.Phased);                                   // 3-D: strided in depth too
    }

    [Fact]
    public void SmallOutputsLeaveWinogradOnlyWhereThePackedKernelRunsAtFullRate()
    {
        static ConvPlan Plan(int size, int channels) => new(16, channels, channels, 1,
            Window.Create("conv", [16, channels, size, size], 2, [1, 3, 3], [1, 1, 1], [0, 1, 1], [1, 1, 1]));
        var (isa, packed) = (Engine.Isa, Engine.PackedGemm);
        try
        {
            foreach (var path in Enum.GetValues<IsaPath>().Where(p => p >= IsaPath.Avx2 && p <= CpuFeatures.Supported))
                foreach (bool on in new[] { false, true })
                {
                    (Engine.Isa, Engine.PackedGemm) = (path, on);
                    bool full = on && path == IsaPath.Avx512 && CpuFeatures.FullRateAvx512Fma;
                    string at = $"{path}, packed {on}";
                    Assert.True(Winograd.Applies(Plan(14, 128), backward: true), at);          // 16 tiles per image
                    Assert.True(Winograd.Applies(Plan(7, 256)), at);                           // 4 tiles forward
                    Assert.Equal(!full, Winograd.Applies(Plan(7, 256), backward: true));      // 4 tiles backward
                    Assert.Equal(!full, Winograd.Applies(Plan(4, 512)));                       // 1 tile
                }
        }
        finally { (Engine.Isa, Engine.PackedGemm) = (isa, packed); }
    }

    [Fact]
    public void ForcingTheScalarPathTurnsWinogradOff()
    {
        var x = Rand(71, 2, 16, 12, 12); var w = Rand(72, 16, 16, 3, 3);
        var (isa, packed) = (Engine.Isa, Engine.PackedGemm);
        try
        {
            // The same matrix-product kernel on both paths (the packed one runs only on the vector paths).
            Engine.PackedGemm = false;
            Engine.Isa = IsaPath.Scalar;
            var scalar = x.Conv2d(w, null, 1, 1).Data;
            Engine.Winograd = false;
            Engine.Isa = isa;
            Assert.True(x.Conv2d(w, null, 1, 1).Data.AsSpan().SequenceEqual(scalar), "the scalar path is the im2col path");
        }
        finally { (Engine.Isa, Engine.PackedGemm) = (isa, packed); Engine.Winograd = true; }
    }

    /// <summary>
    /// |actual - expected| &lt;= 1e-3 |expected| + 2e-4 rms(expected) everywhere. Worst errors measured
    /// on these layers (Zen 5): im2col 4e-6 rms, Winograd F(4x4, 3x3) 6e-5 rms (its transforms'
    /// constants up to 8 and 1/24 amplify rounding); a wrong tile, tap, chunk or path is off by far more.
    /// </summary>
    private static void AssertNear(float[] expected, float[] actual, string what)
    {
        double sq = 0;
        foreach (float v in expected) sq += (double)v * v;
        float rms = (float)Math.Sqrt(sq / expected.Length);
        Fixture.AssertClose(expected, actual.AsSpan(0, expected.Length), what, 1e-3f, 2e-4f * rms);
    }
}
