using Aver.Features.Mrpn;
using Aver.Features.Signal;
using Aver.Features.Spectral;
using Aver.Media;

namespace Aver.Features.Tests.Mrpn;

public class MrpnAudioTests
{
    [Fact]
    public void Compute_ClipOf3_2SecondsGives12SegmentsOf256x250()
    {
        var audio = new AudioBuffer(Signals.Noise(1, 51200, 0.1f), 16000);
        var s = MrpnAudio.Compute(audio);
        Assert.Equal(new[] { 12, 1, 256, 250 }, s.Spectrograms.Shape.ToArray());
        Assert.Equal(12, s.Times.Length);
        Assert.Equal(new TimeInterval(0, 1), s.Times[0]);
        Assert.Equal(2.2, s.Times[11].Start, 9);
        Assert.Equal(3.2, s.Times[11].End, 9);
    }

    [Fact]
    public void Compute_OneSecondClipEqualsTorchStftOfTheSegmentWithoutNyquistAndLastFrame()
    {
        var x = Signals.Noise(2, 16000, 0.3f);
        var s = MrpnAudio.Compute(new AudioBuffer(x, 16000));
        Assert.Equal(1, s.Count);
        var mag = Stft.Compute(Standardization.Apply(x), 512, 64); // [251, 257]
        Assert.Equal(251, mag.Dim(0));
        // Every element: the segment is assembled from 8 x 8 transposed tiles and edge remainders.
        for (int f = 0; f < 250; f++)
            for (int k = 0; k < 256; k++)
                if (Math.Abs(MathF.Log(mag[f, k] + 1e-6f) - s.Spectrograms[0, 0, k, f]) > 1e-4f)
                    Assert.Fail($"frame {f}, bin {k}: {s.Spectrograms[0, 0, k, f]} != {MathF.Log(mag[f, k] + 1e-6f)}");
    }

    [Fact]
    public void Compute_OverlappingSegmentsShareFramesAtTheHop()
    {
        var s = MrpnAudio.Compute(new AudioBuffer(Signals.Noise(3, 24000), 16000));
        Assert.Equal(3, s.Count); // starts 0, 0.2, 0.4 s
        // segment 1 frame f is segment 0 frame f + 50 (0.2 s = 50 hops of 64)
        for (int k = 0; k < 256; k += 17)
            Assert.Equal(s.Spectrograms[0, 0, k, 120], s.Spectrograms[1, 0, k, 70]);
    }

    [Fact]
    public void Compute_IsInvariantToGainAndOffset()
    {
        var x = Signals.Noise(4, 20000, 0.1f);
        var y = x.Select(v => 5 * v + 0.2f).ToArray();
        var a = MrpnAudio.Compute(new AudioBuffer(x, 16000)).Spectrograms;
        var b = MrpnAudio.Compute(new AudioBuffer(y, 16000)).Spectrograms;
        Fixture.AssertClose(a, b, "standardised spectrograms", 1e-3f, 1e-3f);
    }

    [Fact]
    public void Compute_ShortClipIsPaddedToOneSegment()
    {
        var s = MrpnAudio.Compute(new AudioBuffer(Signals.Noise(5, 8000), 16000));
        Assert.Equal(new[] { 1, 1, 256, 250 }, s.Spectrograms.Shape.ToArray());
        // the padded half is the standardised signal's zeros: log(eps) away from the edge
        Assert.Equal(MathF.Log(1e-6f), s.Spectrograms[0, 0, 10, 200], 3);
    }

    [Fact]
    public void Compute_SliceKeepsClipTimes()
    {
        var audio = new AudioBuffer(Signals.Noise(6, 48000), 16000);
        var s = MrpnAudio.Compute(audio, slice: new TimeInterval(0.5, 2.0));
        Assert.Equal(3, s.Count); // 1.5 s: starts 0.5, 0.7, 0.9
        Assert.Equal(0.9, s.Times[2].Start, 9);
        Assert.Equal(1.9, s.Times[2].End, 9);
    }

    [Fact]
    public void Compute_ResamplesTo16k()
    {
        var s = MrpnAudio.Compute(new AudioBuffer(Signals.Noise(7, 48000 * 2), 48000));
        Assert.Equal(6, s.Count);
    }

    [FactRequires(Need.SharedData)]
    public void Compute_RavdessClipHasTheStatedShapes()
    {
        var audio = Wav.ReadMono(TestPaths.Data("ravdess", "speech16k", "Actor_03", "03-01-04-02-02-01-03.wav"));
        var s = MrpnAudio.Compute(audio);
        int expected = 1 + (audio.Samples.Length - 16000) / 3200;
        Assert.Equal(new[] { expected, 1, 256, 250 }, s.Spectrograms.Shape.ToArray());
        Assert.All(s.Spectrograms.Data, v => Assert.True(float.IsFinite(v)));
    }
}
