using Aver.Features.Alignment;
using Aver.Features.Augmentation;
using Aver.Tensors;

namespace Aver.Features.Tests.Alignment;

public class FrameAlignmentTests
{
    [Fact]
    public void FramesIn_SelectsTimestampsInTheHalfOpenInterval()
    {
        var times = FrameAlignment.UniformTimes(100, 30);
        var f = FrameAlignment.FramesIn(times, new TimeInterval(0.1, 0.755)); // paper's example
        Assert.Equal(3, f[0]);            // 3/30 = 0.1
        Assert.Equal(22, f[^1]);          // 22/30 = 0.733 < 0.755 <= 23/30
        Assert.Equal(20, f.Length);       // int(0.655 x 30) = 19.65 -> 20 here
    }

    [Fact]
    public void FixedCount_TwentyFramesDropTwoAtEachEnd()
    {
        var frames = Enumerable.Range(10, 20).ToArray();
        Assert.Equal(Enumerable.Range(12, 16).ToArray(), FrameAlignment.FixedCount(frames));
    }

    [Fact]
    public void FixedCount_TwelveFramesRepeatTheFirstAndLastTwice()
    {
        var frames = Enumerable.Range(0, 12).ToArray();
        var r = FrameAlignment.FixedCount(frames);
        Assert.Equal(new[] { 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 11, 11 }, r);
    }

    [Fact]
    public void FixedCount_OddSurplusDropsTheExtraAtTheEnd()
    {
        var r = FrameAlignment.FixedCount(Enumerable.Range(0, 19).ToArray());
        Assert.Equal(1, r[0]);
        Assert.Equal(16, r[^1]);
    }

    [Fact]
    public void FixedCount_EmptySegmentUsesNearestFrame()
    {
        var times = FrameAlignment.UniformTimes(3, 1); // 0, 1, 2 s
        var r = FrameAlignment.FixedCount(times, new TimeInterval(1.2, 1.4), 4);
        Assert.Equal(new[] { 1, 1, 1, 1 }, r);
    }

    [Fact]
    public void ForSegments_FollowsTheAvefSegmentsAt30Fps()
    {
        var times = FrameAlignment.UniformTimes(120, 30); // 4 s of video
        var o = new Aver.Features.Avef.AvefAudioOptions();
        var segments = new[] { o.SegmentTime(0), o.SegmentTime(34), o.SegmentTime(68) };
        var frames = FrameAlignment.ForSegments(times, segments);
        Assert.All(frames, f => Assert.Equal(16, f.Length));
        // segment 1 spans [0.34, 0.995): frames 11..29 (19 frames) -> drop 1 at the start, 2 at the end
        Assert.Equal(Enumerable.Range(12, 16).ToArray(), frames[1]);
    }

    [Fact]
    public void Sequence_IsTheWholeClipOrTheSlice()
    {
        var times = FrameAlignment.UniformTimes(90, 30);
        Assert.Equal(90, FrameAlignment.Sequence(times).Length);
        var s = FrameAlignment.Sequence(times, new TimeInterval(1.0, 2.5));
        Assert.Equal(30, s[0]);
        Assert.Equal(45, s.Length);
    }
}

public class TimeSliceTests
{
    [Fact]
    public void Random_IsAtLeastOneSecondAndInsideTheClip()
    {
        var rng = new RandomStream(42);
        double minStart = double.MaxValue, maxStart = 0;
        for (int i = 0; i < 500; i++)
        {
            var s = TimeSlice.Random(3.5, rng);
            Assert.True(s.Duration >= 1.0 - 1e-12 && s.Start >= 0 && s.End <= 3.5 + 1e-12, $"{s}");
            minStart = Math.Min(minStart, s.Start); maxStart = Math.Max(maxStart, s.Start);
        }
        Assert.True(minStart < 0.05 && maxStart > 1.5, $"starts span [{minStart}, {maxStart}]");
    }

    [Fact]
    public void Random_ShortClipIsKeptWhole() =>
        Assert.Equal(new TimeInterval(0, 0.8), TimeSlice.Random(0.8, new RandomStream(1)));

    [Fact]
    public void Random_IsDeterministicPerSeed() =>
        Assert.Equal(TimeSlice.Random(3, new RandomStream(7)), TimeSlice.Random(3, new RandomStream(7)));
}
