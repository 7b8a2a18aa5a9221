using Aver.Features.LogMel;
using Aver.Media;
using Aver.Tensors;
using Aver.Testing;

namespace Aver.Features.Tests.LogMel;

/// <summary>The peer's log-mel front end: torchaudio parity (tools/reference/logmel.py), fixed length, crops.</summary>
public sealed class LogMelSpectrogramTests
{
    /// <summary>The formula of tools/reference/logmel.py's signal(): tones, a modulated partial, a quiet high one, a slow ramp.</summary>
    private static float[] Signal(int n = 64000)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            double t = i / 16000.0;
            x[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 220 * t)
                + 0.2 * Math.Sin(2 * Math.PI * 1375 * t + 0.5) * (1 + 0.5 * Math.Sin(2 * Math.PI * 3 * t))
                + 0.05 * Math.Sin(2 * Math.PI * 5000 * t) + 0.01 * t);
        }
        return x;
    }

    [Fact]
    public void TheImageOfAFourSecondClipMatchesThePeersTorchaudioLogMel()
    {
        var image = LogMelSpectrogram.Compute(new AudioBuffer(Signal(), 16000), new LogMelOptions());
        Assert.Equal([64, 351], image.Shape.ToArray());
        // Log values of bands far from the tones sit near log(1e-6); absolute closeness is what matters there.
        Fixture.AssertClose(Fixture.Load("features/logmel_peer.safetensors").Tensors["log_mel"], image, "log-mel", rtol: 1e-3f, atol: 2e-3f);
    }

    [Fact]
    public void ALongClipKeepsItsCentreAndAShortOneIsPaddedAtTheEnd()
    {
        var o = new LogMelOptions { StandardizeWaveform = false, ClipSeconds = 0.5, PadNoiseDb = 0 };   // 8000 samples; zeros, as the peer
        var ramp = Enumerable.Range(0, 9000).Select(i => (float)i).ToArray();
        var centre = LogMelSpectrogram.FixedLength(ramp, o);
        Assert.Equal(8000, centre.Length);
        Assert.Equal(500f, centre[0]);                   // (9000 - 8000) / 2
        var shortClip = LogMelSpectrogram.FixedLength(ramp.AsSpan(0, 100), o);
        Assert.Equal(99f, shortClip[99]);
        Assert.Equal(0f, shortClip[100]);
        Assert.Equal(0f, shortClip[^1]);

        // By default the clip is centred in a noise floor 50 dB under its own RMS, the same in every call.
        var tone = Signal(3000).Select(v => 0.2f * v).ToArray();
        var padded = LogMelSpectrogram.FixedLength(tone, o with { PadNoiseDb = 50 });
        Assert.Equal(tone, padded[2500..5500]);                                                          // (8000 - 3000) / 2
        double Rms(IEnumerable<float> v) => Math.Sqrt(v.Average(x => (double)x * x));
        var floor = padded[..2500].Concat(padded[5500..]).ToArray();
        Assert.Equal(Rms(tone) * Math.Pow(10, -50 / 20.0), Rms(floor), Rms(tone) * 1e-4);                // within 3 % of -50 dB
        Assert.Equal(padded, LogMelSpectrogram.FixedLength(tone, o with { PadNoiseDb = 50 }));
        Assert.NotEqual(0f, padded[0]);
        Assert.NotEqual(0f, padded[^1]);
        Assert.Equal(new float[8000], LogMelSpectrogram.FixedLength(new float[100], o with { PadNoiseDb = 50 }));   // digital silence stays silence (the VAD refuses it)
        Assert.Throws<ArgumentException>(() => (o with { PadNoiseDb = -3 }).Validate());

        var standardised = LogMelSpectrogram.FixedLength(Signal(56000), new LogMelOptions());
        Assert.Equal(0, standardised.Average(), 3);
        Assert.Equal(1, Math.Sqrt(standardised.Select(v => (double)v * v).Average()), 3);
    }

    [Fact]
    public void TheDefaultsAreThePeersFramesAndEvaluationCrops()
    {
        var o = new LogMelOptions();
        Assert.Equal((351, 301, 51), (o.ClipFrames, o.CropFrames, o.CropPositions));
        Assert.Equal([0, 25, 50], o.EvalOffsets());
        Assert.Throws<ArgumentException>(() => (o with { CropSeconds = 4 }).Validate());
        Assert.Throws<ArgumentException>(() => (o with { WinLength = 600 }).Validate());
    }
}
