namespace Aver.Media.Tests.Audio;

/// <summary>The mp3 round trip training uses to teach the audio network what compression does (issue 15).</summary>
public class AudioCodecTests
{
    /// <summary>Two seconds at 16 kHz: a vowel-like harmonic tone switching on and off, so a time shift shows.</summary>
    private static AudioBuffer Speechlike()
    {
        const int rate = 16000;
        var x = new float[2 * rate];
        for (int t = 0; t < x.Length; t++)
        {
            double s = t / (double)rate, f0 = 140 + 40 * Math.Sin(2 * Math.PI * 1.5 * s);
            bool on = (int)(s * 5) % 2 == 0;
            for (int h = 1; h <= 8 && on; h++) x[t] += (float)(0.1 / h * Math.Sin(2 * Math.PI * h * f0 * s + h));
        }
        return new AudioBuffer(x, rate);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(128)]
    public void The_round_trip_keeps_length_rate_and_alignment_and_changes_the_samples(int kbps)
    {
        var clean = Speechlike();
        var coded = AudioCodec.Mp3RoundTrip(clean, kbps);
        Assert.Equal(clean.SampleRate, coded.SampleRate);
        Assert.Equal(clean.Samples.Length, coded.Samples.Length);
        // The best alignment is the unshifted one: the encoder's delay is dropped by the decoder.
        int best = 0;
        double bestDot = double.MinValue;
        for (int lag = -1200; lag <= 1200; lag++)
        {
            double dot = 0;
            for (int t = 1500; t < clean.Samples.Length - 1500; t++) dot += clean.Samples[t] * coded.Samples[t + lag];
            if (dot > bestDot) (bestDot, best) = (dot, lag);
        }
        Assert.InRange(best, -1, 1);
        double err = 0, energy = 0;
        for (int t = 0; t < clean.Samples.Length; t++)
        {
            err += Math.Pow(clean.Samples[t] - coded.Samples[t], 2);
            energy += Math.Pow(clean.Samples[t], 2);
        }
        double snr = 10 * Math.Log10(energy / err);
        Assert.True(snr is > 10 and < 45, $"SNR {snr:F1} dB at {kbps} kbit/s");
    }

    [Fact]
    public void Several_bitrates_in_one_round_trip_are_each_bitrate_alone()
    {
        var clean = Speechlike();
        var both = AudioCodec.Mp3RoundTrips(clean, [32, 128]);
        Assert.Equal(AudioCodec.Mp3RoundTrip(clean, 32).Samples, both[0].Samples);
        Assert.Equal(AudioCodec.Mp3RoundTrip(clean, 128).Samples, both[1].Samples);
        Assert.NotEqual(both[0].Samples, both[1].Samples);
    }

    [Fact]
    public void A_bitrate_mp3_does_not_have_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioCodec.Mp3RoundTrip(Speechlike(), 1000));
}
