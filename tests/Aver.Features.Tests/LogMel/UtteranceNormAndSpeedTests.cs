using Aver.Features.Augmentation;
using Aver.Features.LogMel;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Features.Tests.LogMel;

/// <summary>Per-utterance band-mean normalisation of log-mel images, and speed perturbation of training clips.</summary>
public sealed class UtteranceNormAndSpeedTests
{
    private static AudioBuffer Voice(int samples, double hz = 180)
    {
        var x = Signals.Noise(3, samples, 0.02f);
        for (int i = 0; i < samples; i++) x[i] += (float)(0.3 * Math.Sin(2 * Math.PI * hz * i / 16000) + 0.1 * Math.Sin(2 * Math.PI * 3 * hz * i / 16000));
        return new AudioBuffer(x, 16000);
    }

    [Fact]
    public void EachBandOfANormalisedImageHasMeanZeroAndAConstantColouringOfTheVoiceIsTakenOut()
    {
        var o = new LogMelOptions { UtteranceNorm = true };
        var image = LogMelSpectrogram.Compute(Voice(64000), o);
        int mels = image.Dim(0), frames = image.Dim(1);
        for (int m = 0; m < mels; m++) Assert.Equal(0, image.Data.AsSpan(m * frames, frames).ToArray().Average(), 3);

        // A fixed filter (a first-order pre-emphasis: a channel colouring) shifts each band's log power by a constant
        // where the filter is smooth; normalised images of the plain and the coloured voice stay close, raw ones do not.
        var plain = Voice(64000);
        var coloured = new float[plain.Samples.Length];
        for (int i = 1; i < coloured.Length; i++) coloured[i] = plain.Samples[i] - 0.7f * plain.Samples[i - 1];
        var raw = new LogMelOptions { StandardizeWaveform = false };
        double Distance(LogMelOptions opts)
        {
            var a = LogMelSpectrogram.Compute(plain, opts).Data;
            var b = LogMelSpectrogram.Compute(new AudioBuffer(coloured, 16000), opts).Data;
            double d = 0;
            for (int i = 0; i < a.Length; i++) d += Math.Abs(a[i] - b[i]);
            return d / a.Length;
        }
        Assert.True(Distance(raw with { UtteranceNorm = true }) < 0.2 * Distance(raw), $"{Distance(raw with { UtteranceNorm = true })} vs {Distance(raw)}");
    }

    [Fact]
    public void AShortClipsBandMeansAreTakenOverItsOwnFramesNotThePadding()
    {
        // 1 s of a 3.5-s image: 101 frames of voice, first (the peer's zeros after it) or centred in the noise floor.
        foreach (var (o, first) in new[] { (new LogMelOptions { UtteranceNorm = true, PadNoiseDb = 0 }, 0), (new LogMelOptions { UtteranceNorm = true }, 20000 / 160) })
        {
            var image = LogMelSpectrogram.Compute(Voice(16000), o);
            int frames = image.Dim(1), spoken = 16000 / o.HopLength + 1;
            for (int m = 0; m < image.Dim(0); m++)
                Assert.Equal(0, image.Data.AsSpan(m * frames + first, spoken).ToArray().Average(), 3);
            Assert.True(image.Data[frames - 1] < -3, "the padding stays far below the voice's level");
        }
    }

    [Fact]
    public void OptionsWithoutUtteranceNormSerialiseAsBefore()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new LogMelOptions());
        Assert.DoesNotContain("UtteranceNorm", json);
        Assert.Contains("UtteranceNorm", System.Text.Json.JsonSerializer.Serialize(new LogMelOptions { UtteranceNorm = true }));
    }

    [Fact]
    public void ASpeedFactorChangesDurationAndPitchByThatFactor()
    {
        var voice = Voice(32000, hz: 400);
        var fast = SpeedPerturbation.Apply(voice, 1.1);
        var slow = SpeedPerturbation.Apply(voice, 0.9);
        Assert.Equal(16000, fast.SampleRate);
        Assert.Equal(32000 / 1.1, fast.Samples.Length, 0);
        Assert.Equal(32000 / 0.9, slow.Samples.Length, 0);
        Assert.Same(voice, SpeedPerturbation.Apply(voice, 1.0));
        Assert.Equal(440, DominantHz(fast.Samples), 0);          // 400 Hz played 1.1 times as fast
        Assert.Equal(360, DominantHz(slow.Samples), 0);
    }

    [Fact]
    public void DrawsCoverOneAndEachFactorEquallyAndBadFactorsAreRefused()
    {
        var speed = new SpeedPerturbation([0.9, 1.1]);
        var rng = new RandomStream(5);
        var counts = new Dictionary<double, int>();
        for (int i = 0; i < 3000; i++) { double f = speed.Draw(rng); counts[f] = counts.GetValueOrDefault(f) + 1; }
        Assert.Equal([0.9, 1.0, 1.1], counts.Keys.Order().ToArray());
        Assert.All(counts.Values, c => Assert.InRange(c, 900, 1100));
        Assert.Throws<ArgumentException>(() => new SpeedPerturbation([1.0]).Validate());
        Assert.Throws<ArgumentException>(() => new SpeedPerturbation([3.0]).Validate());
    }

    /// <summary>The frequency of the largest DFT magnitude over 300-600 Hz in 1-Hz steps (middle 16000 samples).</summary>
    private static double DominantHz(float[] x)
    {
        int n = 16000, start = (x.Length - n) / 2;
        double best = 0, bestHz = 0;
        for (int hz = 300; hz <= 600; hz++)
        {
            double re = 0, im = 0;
            for (int i = 0; i < n; i++) { double a = 2 * Math.PI * hz * i / 16000; re += x[start + i] * Math.Cos(a); im -= x[start + i] * Math.Sin(a); }
            double mag = re * re + im * im;
            if (mag > best) { best = mag; bestHz = hz; }
        }
        return bestHz;
    }
}
