using Aver.Features.LogMel;
using Aver.Media;

namespace Aver.Features.Tests.LogMel;

/// <summary>MFCCs as the log-mel front end's cepstra: an orthonormal DCT-II of each frame's log-mel bands, truncated.</summary>
public sealed class CepstraTests
{
    private static AudioBuffer Voice()
    {
        var x = Signals.Noise(5, 24000, 0.05f);
        for (int i = 0; i < x.Length; i++) x[i] += (float)(0.3 * Math.Sin(2 * Math.PI * 220 * i / 16000));
        return new AudioBuffer(x, 16000);
    }

    [Fact]
    public void TheCepstraAreTheOrthonormalDctOfEachFramesLogMelBands()
    {
        var bands = new LogMelOptions { ClipSeconds = 1.5, CropSeconds = 1.0 };
        var logMel = LogMelSpectrogram.Compute(Voice(), bands);
        var mfcc = LogMelSpectrogram.Compute(Voice(), bands with { Cepstra = 13 });
        int mels = logMel.Dim(0), frames = logMel.Dim(1);
        Assert.Equal([13, frames], mfcc.Shape.ToArray());
        Assert.Equal(13, (bands with { Cepstra = 13 }).Bands);
        for (int k = 0; k < 13; k++)
            for (int t = 0; t < frames; t += 7)
            {
                double c = 0;
                for (int m = 0; m < mels; m++) c += logMel.Data[m * frames + t] * Math.Cos(Math.PI * k * (m + 0.5) / mels);
                c *= Math.Sqrt((k == 0 ? 1.0 : 2.0) / mels);
                Assert.Equal(c, mfcc.Data[k * frames + t], 1e-3 * Math.Max(1, Math.Abs(c)));
            }
    }

    [Fact]
    public void KeepingEveryCoefficientPreservesEachFramesEnergyAndTooManyAreRefused()
    {
        var bands = new LogMelOptions { ClipSeconds = 1.5, CropSeconds = 1.0, Mels = 32 };
        var logMel = LogMelSpectrogram.Compute(Voice(), bands);
        var all = LogMelSpectrogram.Compute(Voice(), bands with { Cepstra = 32 });
        int frames = logMel.Dim(1);
        for (int t = 0; t < frames; t += 5)
        {
            double a = 0, b = 0;
            for (int m = 0; m < 32; m++) { a += Math.Pow(logMel.Data[m * frames + t], 2); b += Math.Pow(all.Data[m * frames + t], 2); }
            Assert.Equal(a, b, 1e-4 * a);   // an orthonormal transform (Parseval)
        }
        var e = Assert.Throws<ArgumentException>(() => (bands with { Cepstra = 33 }).Validate());
        Assert.Contains("cepstra must be in [0, mels 32]", e.Message);
    }
}

/// <summary>Chroma rows of the log-mel front end: 12 pitch classes per frame, C first, each frame's largest class 1.</summary>
public sealed class ChromaTests
{
    private static AudioBuffer Tone(double hz)
    {
        var x = new float[24000];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / 16000));
        return new AudioBuffer(x, 16000);
    }

    [Theory]
    [InlineData(440.0, 9)]      // A4
    [InlineData(261.63, 0)]     // C4
    [InlineData(392.0, 7)]      // G4
    [InlineData(880.0, 9)]      // A5: an octave up, the same class
    public void ATonesFramesPeakAtItsPitchClassBelowTheBands(double hz, int pitchClass)
    {
        var o = new LogMelOptions { ClipSeconds = 1.5, CropSeconds = 1.0, NFft = 2048, WinLength = 1365, HopLength = 683, Cepstra = 20, Chroma = 12 };
        var image = LogMelSpectrogram.Compute(Tone(hz), o);
        int frames = image.Dim(1);
        Assert.Equal(32, o.Bands);
        Assert.Equal([32, frames], image.Shape.ToArray());
        Assert.Equal("20 MFCCs + 12 chroma of 64-band log-mel", o.Describe);
        for (int t = 2; t < frames - 2; t++)
        {
            var chroma = Enumerable.Range(0, 12).Select(c => image.Data[(20 + c) * frames + t]).ToArray();
            Assert.Equal(pitchClass, Array.IndexOf(chroma, chroma.Max()));
            Assert.Equal(1f, chroma.Max(), 5);
            Assert.All(chroma, v => Assert.InRange(v, 0f, 1f));
            Assert.True(chroma[(pitchClass + 6) % 12] < 0.05f, $"the tritone away from {pitchClass} should be empty, got {chroma[(pitchClass + 6) % 12]}");
        }
        Assert.Throws<ArgumentException>(() => (o with { Chroma = 7 }).Validate());
    }
}
