using System.Runtime.Intrinsics.X86;
using Aver.Tensors.Kernels;

namespace Aver.Tensors.Tests.Kernels;

/// <summary>The start-up measurement that decides whether Aver's packed AVX-512 kernel replaces OpenBLAS.</summary>
public class FmaWidthProbeTests
{
    [Fact]
    public void MeasuresARatioBetweenFullAndHalfRateOrNaNWithoutAvx512()
    {
        double ratio = FmaWidthProbe.WideOverNarrowTime();
        if (!Avx512F.IsSupported) { Assert.True(double.IsNaN(ratio)); return; }
        // A 512-bit multiply-add takes as long as a 256-bit one (full-width units) or twice as long (split ones);
        // a busy machine moves the best of seven rounds a little, never to a factor of three.
        Assert.InRange(ratio, 0.5, 3.0);
        Assert.InRange(CpuFeatures.Fma512TimeRatio, 0.5, 3.0);
    }

    [Theory]
    [InlineData(0.98, true)]
    [InlineData(1.2, true)]
    [InlineData(1.6, false)]
    [InlineData(2.05, false)]
    [InlineData(double.NaN, false)]
    public void FullRateIsDecidedHalfwayBetweenTheTwoKinds(double ratio, bool full) =>
        Assert.Equal(full, FmaWidthProbe.FullRate(ratio));

    [Fact]
    public void WithFullRateFmasThePackedKernelServesEveryShapeOnTheAvx512Path()
    {
        if (Engine.Isa < IsaPath.Avx512 || !CpuFeatures.FullRateAvx512Fma) return;
        // The shapes the half-rate rules send to OpenBLAS (small short products, long-sum TN, the stem's NT dW).
        Assert.True(PackedGemm.Serves(false, true, 50, 50, 64));
        Assert.True(PackedGemm.Serves(true, false, 64, 32, 9728));
        Assert.True(PackedGemm.Serves(false, true, 64, 147, 840));
        var isa = Engine.Isa;
        try { Engine.Isa = IsaPath.Avx2; Assert.False(PackedGemm.Serves(false, false, 128, 128, 128)); }
        finally { Engine.Isa = isa; }
    }
}
