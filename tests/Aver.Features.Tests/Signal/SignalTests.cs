using Aver.Features.Signal;
using Aver.Media;

namespace Aver.Features.Tests.Signal;

public class PreEmphasisTests
{
    [Fact]
    public void Apply_SubtractsScaledPreviousSample()
    {
        var y = PreEmphasis.Apply(new float[] { 1, 2, 4 });
        Assert.Equal(new[] { 1f, 2 - 0.97f, 4 - 1.94f }, y);
    }

    [Fact]
    public void Apply_RejectsCoefficientOutsideUnitInterval() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PreEmphasis.Apply(new float[3], 1.5f));
}

public class StandardizationTests
{
    [Fact]
    public void Apply_GivesZeroMeanUnitStd()
    {
        var x = Signals.Noise(5, 10000, 0.1f);
        for (int i = 0; i < x.Length; i++) x[i] += 0.3f;
        var (mean, std) = Standardization.Statistics(Standardization.Apply(x));
        Assert.Equal(0, mean, 5);
        Assert.Equal(1, std, 4);
    }

    [Fact]
    public void Apply_ConstantBecomesZeros() => Assert.All(Standardization.Apply(new float[] { 2, 2, 2 }), v => Assert.Equal(0f, v));
}

public class ResamplerTests
{
    [Theory]
    [InlineData(48000)]
    [InlineData(44100)]
    [InlineData(22050)]
    public void Process_KeepsAnInBandToneAndItsLength(int rate)
    {
        int n = rate; // 1 s
        var x = Signals.Sine(n, 1000, rate, 0.5);
        var y = new Resampler(rate, 16000).Process(x);
        Assert.Equal(16000, y.Length);
        var expected = Signals.Sine(16000, 1000, 16000, 0.5);
        for (int i = 1000; i < 15000; i++) Assert.True(Math.Abs(y[i] - expected[i]) < 2e-3, $"sample {i}: {y[i]} vs {expected[i]}");
    }

    [Fact]
    public void Process_RemovesToneAboveTheNewNyquist()
    {
        var x = Signals.Sine(48000, 10000, 48000, 0.5); // aliases to 6 kHz if not filtered
        var y = new Resampler(48000, 16000).Process(x);
        double rms = Math.Sqrt(y.Skip(1000).Take(14000).Average(v => (double)v * v));
        Assert.True(rms < 1e-3, $"10 kHz leaked through at rms {rms}");
    }

    [Fact]
    public void Resample_SameRateIsIdentity()
    {
        var a = new AudioBuffer(new float[] { 1, 2 }, 16000);
        Assert.Same(a, Resampler.Resample(a, 16000));
    }
}
