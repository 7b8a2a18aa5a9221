using Aver.Features.Augmentation;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Features.Tests.Augmentation;

public class NoiseFloorTests
{
    private static AudioBuffer Tone(int n = 32000)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 220 * i / 16000));
        return new AudioBuffer(x, 16000);
    }

    private static double Rms(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (float v in x) s += (double)v * v;
        return Math.Sqrt(s / x.Length);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(30)]
    public void The_floor_sits_the_drawn_snr_under_the_clips_rms(double snr)
    {
        var clean = Tone();
        var noisy = new NoiseFloor(snr, snr, 1).Apply(clean, new RandomStream(1));
        var noise = new float[clean.Samples.Length];
        for (int i = 0; i < noise.Length; i++) noise[i] = noisy.Samples[i] - clean.Samples[i];
        Assert.Equal(snr, 20 * Math.Log10(Rms(clean.Samples) / Rms(noise)), 0.1);
        Assert.Equal(clean.SampleRate, noisy.SampleRate);
    }

    [Fact]
    public void About_the_probability_of_draws_get_a_floor_and_digital_silence_gets_none()
    {
        var floor = new NoiseFloor(20, 40, 0.3);
        var clean = Tone(1600);
        var rng = new RandomStream(2);
        int changed = 0;
        for (int k = 0; k < 1000; k++) if (!ReferenceEquals(floor.Apply(clean, rng.Fork("draw", k)), clean)) changed++;
        Assert.InRange(changed, 250, 350);
        var silence = new AudioBuffer(new float[1600], 16000);
        Assert.Same(silence, new NoiseFloor(20, 40, 1).Apply(silence, new RandomStream(3)));
    }

    [Theory]
    [InlineData(40, 20, 0.5, "ordered")]
    [InlineData(10, 20, 0, "probability")]
    [InlineData(double.NaN, 20, 0.5, "finite")]
    public void Bad_settings_are_refused(double min, double max, double p, string what) =>
        Assert.Contains(what, Assert.Throws<ArgumentException>(() => new NoiseFloor(min, max, p).Validate()).Message);
}
