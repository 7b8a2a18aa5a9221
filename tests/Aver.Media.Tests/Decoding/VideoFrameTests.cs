namespace Aver.Media.Tests.Decoding;

public class VideoFrameTests
{
    [FactRequires(Need.SharedData)]
    public void DecodesEveryVideoClipFrameByFrame()
    {
        foreach (var clip in SharedClips.AllVideos)
        {
            // Native rate, half size (the decode is the same; scaling keeps the test quick).
            var reader = MediaDecoder.OpenVideo(clip, new VideoFrameOptions { MaxSide = 320 });
            var v = reader.Info.Video!;
            bool ravdess = clip.EndsWith(".mp4");
            Assert.Equal(ravdess ? (1280, 720) : (480, 360), (v.Width, v.Height));
            Assert.Equal(ravdess ? (320, 180) : (320, 240), (reader.Width, reader.Height));
            int n = 0;
            foreach (var f in reader)
            {
                Assert.Equal(n, f.Index);
                Assert.Equal(n / v.Fps, f.Timestamp, 9);
                Assert.Equal((reader.Width, reader.Height, 3), (f.Image.Width, f.Image.Height, f.Image.Channels));
                n++;
            }
            double expected = v.Fps * v.Duration!.Value;
            Assert.True(Math.Abs(n - expected) <= 2, $"{clip}: {n} frames, fps × duration = {expected:F1}");
            if (v.FrameCount is long count) Assert.True(Math.Abs(n - count) <= 1, $"{clip}: {n} frames, container says {count}");
        }
    }

    [FactRequires(Need.SharedData)]
    public void FullSizeRavdessFrameLooksLikeAPicture()
    {
        var clip = SharedClips.RavdessAv[0];
        var f = MediaDecoder.ReadFrames(clip, new VideoFrameOptions { Start = 1.0, Duration = 0.2 }).First();
        Assert.Equal((1280, 720, 3), (f.Image.Width, f.Image.Height, f.Image.Channels));
        Assert.Equal(1.0, f.Timestamp, 9);
        // RAVDESS: an actor before a white background; the frame must be neither flat nor dark.
        double mean = f.Image.Data.Average(b => (double)b);
        Assert.InRange(mean, 80, 250);
        Assert.True(f.Image.Data.Max() - f.Image.Data.Min() > 150);
    }

    [FactRequires(Need.SharedData)]
    public void SkippingBFramesKeepsTheFrameGrid()
    {
        var clip = SharedClips.RavdessAv[0];
        var options = new VideoFrameOptions { Fps = 10, MaxSide = 320, Color = ImageColor.Gray };
        var all = MediaDecoder.ReadFrames(clip, options).ToList();
        var fast = MediaDecoder.ReadFrames(clip, options with { SkipBFrames = true }).ToList();
        Assert.InRange(all.Count, 32, 34);
        Assert.Equal(all.Count, fast.Count);
        for (int i = 0; i < all.Count; i += 8)
        {
            Assert.Equal(all[i].Timestamp, fast[i].Timestamp);
            double diff = 0;
            for (int k = 0; k < all[i].Image.Data.Length; k++) diff += Math.Abs(all[i].Image.Data[k] - fast[i].Image.Data[k]);
            Assert.True(diff / all[i].Image.Data.Length < 6, $"frame {i}: mean abs difference {diff / all[i].Image.Data.Length:F2}");
        }
    }

    [Fact]
    public void RequestedRateSizeAndGrayAreHonoured()
    {
        using var dir = new TempDir();
        var clip = BadInputs.VideoOnly(dir);   // 160x120, 10 fps, 1 s
        var frames = MediaDecoder.ReadFrames(clip, new VideoFrameOptions { Fps = 5, Width = 80, Color = ImageColor.Gray }).ToList();
        Assert.Equal(5, frames.Count);
        Assert.All(frames, f => Assert.Equal((80, 60, 1), (f.Image.Width, f.Image.Height, f.Image.Channels)));
        Assert.Equal([0.0, 0.2, 0.4, 0.6, 0.8], frames.Select(f => Math.Round(f.Timestamp, 9)));
        // testsrc moves: consecutive frames differ.
        Assert.NotEqual(frames[0].Image.Data, frames[1].Image.Data);
    }

    [Fact]
    public void RecycledBuffersAreReusedWithoutChangingTheFrames()
    {
        using var dir = new TempDir();
        var clip = BadInputs.VideoOnly(dir);   // 160x120, 10 fps, 1 s
        var plain = MediaDecoder.ReadFrames(clip).Select(f => (byte[])f.Image.Data.Clone()).ToList();
        var reader = MediaDecoder.OpenVideo(clip);
        var seen = new List<byte[]>();
        int i = 0;
        foreach (var f in reader)
        {
            Assert.Equal(plain[i++], f.Image.Data);
            seen.Add(f.Image.Data);
            reader.Recycle(f);
        }
        Assert.Equal(plain.Count, i);
        // Each frame went back before the next was read: one buffer served them all.
        Assert.Single(seen.Distinct(ReferenceEqualityComparer.Instance));
    }

    [Fact]
    public void StoppingEarlyEndsTheDecoder()
    {
        using var dir = new TempDir();
        var clip = BadInputs.VideoOnly(dir);
        var reader = MediaDecoder.OpenVideo(clip);
        Assert.Equal(3, reader.Take(3).Count());
        Assert.Equal(10, reader.Count());   // a reader can be enumerated again
    }

    [Fact]
    public void FourKFramesDecodeNativelyOrDownscaled()
    {
        using var dir = new TempDir();
        var clip = dir.File("4k.mp4");
        TempDir.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=3840x2160:rate=5:duration=0.2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip);
        var info = MediaProbe.Probe(clip);
        Assert.Equal((3840, 2160), (info.Video!.Width, info.Video.Height));

        var full = MediaDecoder.ReadFrames(clip).ToList();
        Assert.Single(full);
        Assert.Equal(3840 * 2160 * 3, full[0].Image.Data.Length);

        var small = MediaDecoder.ReadFrames(clip, new VideoFrameOptions { MaxSide = 1280 }).First();
        Assert.Equal((1280, 720), (small.Image.Width, small.Image.Height));
        // The downscaled frame is the full frame, smaller: compare against our own bilinear resize.
        var mine = full[0].Image.Resize(1280, 720);
        double diff = 0;
        for (int i = 0; i < mine.Data.Length; i++) diff += Math.Abs(mine.Data[i] - small.Image.Data[i]);
        Assert.True(diff / mine.Data.Length < 12, $"mean abs difference {diff / mine.Data.Length:F2}");
    }

    [Fact]
    public void RotatedPhoneClipComesOutUpright()
    {
        using var dir = new TempDir();
        var plain = BadInputs.VideoOnly(dir);   // 160x120
        var rotated = dir.File("rotated.mp4");
        TempDir.Ffmpeg("-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated);
        var reader = MediaDecoder.OpenVideo(rotated, new VideoFrameOptions { Height = 80 });
        Assert.Equal(90, Math.Abs(reader.Info.Video!.Rotation));
        Assert.Equal((120, 160), (reader.Info.Video.Width, reader.Info.Video.Height));
        Assert.Equal((60, 80), (reader.Width, reader.Height));
        var f = reader.First();
        Assert.Equal((60, 80), (f.Image.Width, f.Image.Height));
    }

    [Theory]
    [InlineData(1280, 720, null, null, null, 1280, 720)]
    [InlineData(1280, 720, 640, null, null, 640, 360)]
    [InlineData(1280, 720, null, 128, null, 228, 128)]
    [InlineData(3840, 2160, null, null, 1280, 1280, 720)]
    [InlineData(480, 360, null, null, 1280, 480, 360)]
    [InlineData(1280, 720, 128, 128, null, 128, 128)]
    public void OutputSizeFollowsTheOptions(int w, int h, int? ow, int? oh, int? max, int ew, int eh)
    {
        var size = VideoReader.OutputSize(w, h, new VideoFrameOptions { Width = ow, Height = oh, MaxSide = max });
        Assert.Equal((ew, eh), size);
    }
}
