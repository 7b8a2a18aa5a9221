using Aver.Features.Avef;
using Aver.Features.Spectral;
using Aver.Media;

namespace Aver.Features.Tests.Avef;

public class AvefAudioTests
{
    [Fact]
    public void Compute_StacksAre3x64x64Every340Ms()
    {
        var audio = new AudioBuffer(Signals.Noise(1, 32000, 0.1f), 16000); // 2 s: 198 frames
        var s = AvefAudio.Compute(audio);
        Assert.Equal(198, AvefFrames.Count(32000));
        int expected = 1 + (198 - 64) / 34;
        Assert.Equal(new[] { expected, 3, 64, 64 }, s.Stacks.Shape.ToArray());
        Assert.Equal(0.655, s.Times[0].End - s.Times[0].Start, 9);
        Assert.Equal(0.34, s.Times[1].Start, 9);
        Assert.Equal(34, s.FirstFrames[1]);
    }

    [Fact]
    public void Compute_ChannelsAreLogMelAndItsDeltasPerSegment()
    {
        var audio = new AudioBuffer(Signals.Noise(2, 24000, 0.1f), 16000);
        var s = AvefAudio.Compute(audio);
        var logMel = AvefAudio.LogMel(audio); // [frames, 64]
        int seg = 1, first = s.FirstFrames[seg];
        for (int m = 0; m < 64; m += 9)
            for (int t = 0; t < 64; t += 11)
                Assert.Equal(logMel[first + t, m], s.Stacks[seg, 0, m, t]);
        var c = new float[64 * 64];
        logMel.Data.AsSpan(first * 64, 64 * 64).CopyTo(c);
        var d1 = Deltas.Compute(new Aver.Tensors.Tensor(c, 64, 64));
        var d2 = Deltas.Compute(d1);
        for (int m = 0; m < 64; m += 9)
            for (int t = 0; t < 64; t += 7)
            {
                Assert.Equal(d1[t, m], s.Stacks[seg, 1, m, t], 5);
                Assert.Equal(d2[t, m], s.Stacks[seg, 2, m, t], 5);
            }
    }

    [Fact]
    public void LogMel_SilenceIsLogOfTheOffset()
    {
        var logMel = AvefAudio.LogMel(new AudioBuffer(new float[16000], 16000));
        Assert.All(logMel.Data, v => Assert.Equal(MathF.Log(0.01f), v, 5));
    }

    [Fact]
    public void Compute_ShortClipIsPaddedToOneSegment()
    {
        var s = AvefAudio.Compute(new AudioBuffer(Signals.Noise(3, 4000), 16000));
        Assert.Equal(new[] { 1, 3, 64, 64 }, s.Stacks.Shape.ToArray());
    }

    [Fact]
    public void FrameTime_MatchesThePapersArithmetic()
    {
        var o = new AvefAudioOptions();
        Assert.Equal(new TimeInterval(0.01, 0.035), o.FrameTime(1));
        Assert.Equal(0.655, o.SegmentTime(0).End, 9); // 25 + 63 x 10 ms
    }

    [FactRequires(Need.SharedData)]
    public void Compute_RavdessClipHasTheStatedShapes()
    {
        var audio = Wav.ReadMono(TestPaths.Data("ravdess", "speech16k", "Actor_05", "03-01-06-01-01-02-05.wav"));
        var s = AvefAudio.Compute(audio);
        int frames = AvefFrames.Count(audio.Samples.Length);
        Assert.Equal(new[] { 1 + (frames - 64) / 34, 3, 64, 64 }, s.Stacks.Shape.ToArray());
        Assert.All(s.Stacks.Data, v => Assert.True(float.IsFinite(v)));
    }
}
