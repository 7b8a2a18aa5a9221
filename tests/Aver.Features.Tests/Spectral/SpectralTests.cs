using Aver.Features.Spectral;
using Aver.Tensors;

namespace Aver.Features.Tests.Spectral;

public class MelFilterBankTests
{
    [Theory]
    [InlineData(MelScale.Htk)]
    [InlineData(MelScale.Slaney)]
    public void Mel_RoundTrips(MelScale scale)
    {
        foreach (double hz in new[] { 0.0, 300, 999, 1000, 1001, 4000, 8000 })
            Assert.Equal(hz, Mel.ToHz(Mel.FromHz(hz, scale), scale), 6);
    }

    [Fact]
    public void Mel_HtkKnownValue() => Assert.Equal(1000, Mel.FromHz(1000), 0); // 2595 log10(1 + 1000/700) = 999.99

    [Fact]
    public void Apply_EqualsDenseProduct()
    {
        var bank = MelFilterBank.Create(257, 0, 8000, 64, 16000);
        var spec = Tensor.Uniform(new RandomStream(1), 0, 1, 5, 257);
        var dense = spec.MatMul(bank.Weights);
        Fixture.AssertClose(dense, bank.Apply(spec), "sparse mel apply", 1e-5f, 1e-6f);
    }

    [Fact]
    public void Create_UnnormalisedFiltersPeakAtOneAndCoverTheBand()
    {
        var bank = MelFilterBank.Create();
        var w = bank.Weights;
        for (int m = 0; m < 64; m++)
        {
            float peak = 0;
            for (int k = 0; k < 257; k++) peak = Math.Max(peak, w[k, m]);
            Assert.InRange(peak, m < 3 ? 0.1f : 0.5f, 1f); // low HTK filters are narrower than a bin
        }
    }

    [Fact]
    public void Create_RejectsBadRange() =>
        Assert.Throws<ArgumentException>(() => MelFilterBank.Create(fMin: 8000, fMax: 100));
}

public class DeltasTests
{
    [Fact]
    public void Compute_LinearRampHasItsSlopeInside()
    {
        var x = new Tensor(10, 2);
        for (int t = 0; t < 10; t++) { x[t, 0] = 3 * t; x[t, 1] = -t + 5; }
        var d = Deltas.Compute(x);
        for (int t = 2; t < 8; t++) { Assert.Equal(3f, d[t, 0], 5); Assert.Equal(-1f, d[t, 1], 5); }
        // t = 0 with replicate padding: (1 (x1 - x0) + 2 (x2 - x0)) / 10 = (3 + 12) / 10
        Assert.Equal(1.5f, d[0, 0], 5);
    }

    [Fact]
    public void Compute_ConstantHasNoDelta()
    {
        var d = Deltas.Compute(Tensor.Full(4f, 6, 3));
        Assert.All(d.Data, v => Assert.Equal(0f, v));
    }
}
