namespace Aver.Inference.Branches;

/// <summary>A timeline window [Start, End) in seconds.</summary>
public readonly record struct TimeWindow(double Start, double End)
{
    public bool Contains(double t) => t >= Start && t < End;
}

/// <summary>The timeline of a clip: windows of a fixed length every step, the last one ending at the clip's end.</summary>
public static class TimeWindows
{
    /// <summary>
    /// Windows [k·step, k·step + length) that fit in <paramref name="duration"/>, plus one ending exactly at the clip's end
    /// when the regular ones leave a tail; a clip shorter than a window has the single window [0, duration).
    /// </summary>
    public static TimeWindow[] Of(double duration, double length, double step)
    {
        if (!(duration > 0)) return [];
        if (duration <= length) return [new TimeWindow(0, duration)];
        var list = new List<TimeWindow>();
        for (int k = 0; k * step + length <= duration + 1e-6; k++) list.Add(new TimeWindow(k * step, k * step + length));
        if (list[^1].End < duration - 1e-3) list.Add(new TimeWindow(duration - length, duration));
        return list.ToArray();
    }
}
