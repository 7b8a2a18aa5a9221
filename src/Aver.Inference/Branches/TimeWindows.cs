namespace Aver.Inference.Branches;

/// <summary>A timeline window [Start, End) in seconds.</summary>
public readonly record struct TimeWindow(double Start, double End)
{
    public bool Contains(double t) => t >= Start && t < End;
}

/// <summary>The timeline of a clip: windows of a fixed length every step, the last one ending at the clip's end.</summary>
public static class TimeWindows
{
    /// <summary>At most this many windows: a finer step over a long recording is widened to fit (the timeline stays readable and its cost bounded).</summary>
    public const int MaxWindows = 10_000;

    /// <summary>
    /// Windows [k·step, k·step + length) that fit in <paramref name="duration"/>, plus one ending exactly at the clip's end
    /// when the regular ones leave a tail; a clip shorter than a window has the single window [0, duration). When
    /// <paramref name="step"/> would make more than <see cref="MaxWindows"/>, the step is widened to fit.
    /// </summary>
    public static TimeWindow[] Of(double duration, double length, double step)
    {
        if (!(duration > 0)) return [];
        if (duration <= length) return [new TimeWindow(0, duration)];
        step = Math.Max(step, (duration - length) / (MaxWindows - 2));
        var list = new List<TimeWindow>();
        for (int k = 0; k * step + length <= duration + 1e-6; k++) list.Add(new TimeWindow(k * step, k * step + length));
        if (list[^1].End < duration - 1e-3) list.Add(new TimeWindow(duration - length, duration));
        return list.ToArray();
    }
}
