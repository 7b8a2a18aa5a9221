namespace Aver.Media.Tests.Probe;

public class ProbeTests
{
    [FactRequires(Need.SharedData)]
    public void ProbesEveryRavdessClip()
    {
        var clips = SharedClips.RavdessAv;
        Assert.Equal(6, clips.Length);
        foreach (var clip in clips)
        {
            var info = MediaProbe.Probe(clip);
            Assert.Contains("mp4", info.Container);
            Assert.InRange(info.Duration!.Value, 2.5, 4.5);
            var v = info.Video!;
            Assert.Equal(("h264", 1280, 720), (v.Codec, v.Width, v.Height));
            Assert.Equal(new Rational(30000, 1001), v.FrameRate);
            Assert.InRange(v.FrameCount!.Value, v.Fps * v.Duration!.Value - 2, v.Fps * v.Duration.Value + 2);
            var a = info.Audio!;
            Assert.Equal(("aac", 48000, 2), (a.Codec, a.SampleRate, a.Channels));
            Assert.Equal(2, info.Streams.Count);
        }
    }

    [FactRequires(Need.SharedData)]
    public void ProbesEveryCremaClip()
    {
        foreach (var clip in SharedClips.CremaFlv)
        {
            var info = MediaProbe.Probe(clip);
            Assert.Equal("flv", info.Container);
            Assert.InRange(info.Duration!.Value, 1.0, 4.5);
            var v = info.Video!;
            Assert.Equal(("vp6f", 480, 360), (v.Codec, v.Width, v.Height));
            Assert.InRange(v.Fps, 29.9, 30.0);
            Assert.InRange(v.EstimatedFrameCount!.Value, 30, 135);
            Assert.Equal(("mp3", 44100, 1), (info.Audio!.Codec, info.Audio.SampleRate, info.Audio.Channels));
            Assert.Contains(info.Streams, s => s.Kind == "data");   // the extra data stream
        }
        foreach (var clip in SharedClips.CremaMp3)
        {
            var info = MediaProbe.Probe(clip);
            Assert.Null(info.Video);
            Assert.Equal("mp3", info.Audio!.Codec);
            Assert.InRange(info.Duration!.Value, 1.0, 4.5);
        }
    }

    [Fact]
    public void ProbesGeneratedClipsWithOneKindOfStream()
    {
        using var dir = new TempDir();
        var videoOnly = BadInputs.VideoOnly(dir);
        var info = MediaProbe.Probe(videoOnly);
        Assert.Null(info.Audio);
        Assert.Equal((160, 120, 10.0), (info.Video!.Width, info.Video.Height, info.Video.Fps));
        Assert.Equal(10, info.Video.FrameCount);

        var audioOnly = BadInputs.AudioOnly(dir);
        info = MediaProbe.Probe(audioOnly);
        Assert.Null(info.Video);
        Assert.Equal((22050, 2), (info.Audio!.SampleRate, info.Audio.Channels));
    }

    [Theory]
    [InlineData("1/2", 0.5, true)]
    [InlineData("30000/1001", 29.97002997, true)]
    [InlineData("0/0", double.NaN, false)]
    [InlineData("25", 25.0, true)]
    public void ParsesRationals(string text, double value, bool valid)
    {
        var r = Rational.Parse(text);
        Assert.Equal(valid, r.IsValid);
        if (valid) Assert.Equal(value, r.Value, 6);
    }
}
