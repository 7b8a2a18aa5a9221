using Aver.Features.Spectral;

namespace Aver.Features.Tests.Spectral;

public class RealFftTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(512)]
    [InlineData(2048)]
    public void Forward_EqualsNaiveDft(int n)
    {
        var x = Signals.Noise((ulong)n, n);
        var fft = RealFft.Get(n);
        var re = new float[fft.Bins]; var im = new float[fft.Bins];
        fft.Forward(x, re, im);
        Signals.NaiveDft(x, n, out var eRe, out var eIm);
        double scale = Math.Sqrt(n); // typical |X| of unit noise
        for (int k = 0; k < fft.Bins; k++)
        {
            Assert.True(Math.Abs(re[k] - eRe[k]) < 1e-5 * scale * Math.Log2(n), $"n={n} re[{k}] {re[k]} vs {eRe[k]}");
            Assert.True(Math.Abs(im[k] - eIm[k]) < 1e-5 * scale * Math.Log2(n), $"n={n} im[{k}] {im[k]} vs {eIm[k]}");
        }
    }

    [Fact]
    public void Forward_SineLandsInItsBin()
    {
        const int n = 512;
        var x = Signals.Sine(n, 37, n, amplitude: 1); // exactly 37 cycles
        var mag = new float[257];
        RealFft.Get(n).Magnitude(x, mag, new float[2 * 257]);
        Assert.Equal(n / 2.0, mag[37], 2);
        for (int k = 0; k < 257; k++) if (k != 37) Assert.True(mag[k] < 1e-3, $"bin {k} leaked {mag[k]}");
    }

    [Fact]
    public void Magnitude_PowerTwoIsSquareOfMagnitude()
    {
        var x = Signals.Noise(3, 256);
        var fft = RealFft.Get(256);
        var m1 = new float[129]; var m2 = new float[129]; var scratch = new float[258];
        fft.Magnitude(x, m1, scratch, 1f);
        fft.Magnitude(x, m2, scratch, 2f);
        for (int k = 0; k < 129; k++) Assert.Equal(m1[k] * m1[k], m2[k], m2[k] * 1e-5f + 1e-6f);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(100)]
    [InlineData(384)]
    public void Constructor_RejectsNonPowersOfTwo(int n) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RealFft(n));

    [Fact]
    public void Get_CachesPlans() => Assert.Same(RealFft.Get(1024), RealFft.Get(1024));
}
