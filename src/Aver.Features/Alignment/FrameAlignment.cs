namespace Aver.Features.Alignment;

/// <summary>
/// Face frames for audio segments, as index arithmetic on the frames' timestamps (seconds, ascending):
/// the frames inside an interval, AVEF's fixed 16 frames per segment (§2.1.2), MRPN's sequence for a
/// clip or a time-augmentation slice.
/// </summary>
public static class FrameAlignment
{
    /// <summary>Indices of the frames whose timestamp lies in [start, end), ascending.</summary>
    public static int[] FramesIn(ReadOnlySpan<double> frameTimes, TimeInterval interval)
    {
        int first = LowerBound(frameTimes, interval.Start), end = LowerBound(frameTimes, interval.End);
        var result = new int[Math.Max(0, end - first)];
        for (int i = 0; i < result.Length; i++) result[i] = first + i;
        return result;
    }

    /// <summary>
    /// Exactly <paramref name="count"/> frame indices for a segment (AVEF §2.1.2): with more frames, drop
    /// the surplus from both ends (half at the start, rounding down, the rest at the end: 20 -> drop 2 + 2);
    /// with fewer, repeat the first and last frames the same way (12 -> first twice more, last twice more).
    /// A segment holding no frame timestamp uses the frame nearest its middle.
    /// </summary>
    public static int[] FixedCount(ReadOnlySpan<double> frameTimes, TimeInterval interval, int count = 16)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "FixedCount: need at least one frame");
        if (frameTimes.Length == 0) throw new ArgumentException("FixedCount: the clip has no frames", nameof(frameTimes));
        var inside = FramesIn(frameTimes, interval);
        if (inside.Length == 0) inside = [Nearest(frameTimes, (interval.Start + interval.End) / 2)];
        return FixedCount(inside, count);
    }

    /// <summary>
    /// AVEF's visual segments for audio segments (after VAD selection, pass the kept segments' times so
    /// the face frames of dropped segments go with them): [segments][count] frame indices.
    /// </summary>
    public static int[][] ForSegments(ReadOnlySpan<double> frameTimes, ReadOnlySpan<TimeInterval> segments, int count = 16)
    {
        var result = new int[segments.Length][];
        for (int s = 0; s < segments.Length; s++) result[s] = FixedCount(frameTimes, segments[s], count);
        return result;
    }

    /// <summary>The drop-or-repeat rule of <see cref="FixedCount(ReadOnlySpan{double}, TimeInterval, int)"/> on a non-empty run of frame indices.</summary>
    public static int[] FixedCount(ReadOnlySpan<int> frames, int count = 16)
    {
        if (frames.Length == 0) throw new ArgumentException("FixedCount: no frames to fit", nameof(frames));
        var result = new int[count];
        int n = frames.Length;
        if (n >= count)
        {
            int skip = (n - count) / 2;
            frames.Slice(skip, count).CopyTo(result);
            return result;
        }
        int front = (count - n) / 2;
        for (int i = 0; i < count; i++) result[i] = frames[Math.Clamp(i - front, 0, n - 1)];
        return result;
    }

    /// <summary>MRPN's frame sequence: every frame of the clip, or of <paramref name="slice"/> when given (time augmentation, Figure 9).</summary>
    public static int[] Sequence(ReadOnlySpan<double> frameTimes, TimeInterval? slice = null) =>
        slice is TimeInterval s ? FramesIn(frameTimes, s) : FramesIn(frameTimes, new TimeInterval(double.NegativeInfinity, double.PositiveInfinity));

    /// <summary>Timestamps of frames at a constant rate: frame i at i / fps.</summary>
    public static double[] UniformTimes(int frames, double fps)
    {
        if (!(fps > 0)) throw new ArgumentOutOfRangeException(nameof(fps), fps, "frame rate must be positive");
        var t = new double[frames];
        for (int i = 0; i < frames; i++) t[i] = i / fps;
        return t;
    }

    private static int LowerBound(ReadOnlySpan<double> sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static int Nearest(ReadOnlySpan<double> sorted, double t)
    {
        int i = LowerBound(sorted, t);
        if (i == sorted.Length) return i - 1;
        if (i > 0 && t - sorted[i - 1] <= sorted[i] - t) return i - 1;
        return i;
    }
}
