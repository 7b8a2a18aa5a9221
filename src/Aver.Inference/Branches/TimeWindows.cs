using Aver.Features;

namespace Aver.Inference.Branches;

/// <summary>The timeline of a clip: windows (each a <see cref="TimeInterval"/> [start, end) in seconds) of a fixed length every step, the last one ending at the clip's end.</summary>
public static class TimeWindows
{
    /// <summary>At most this many windows: a finer step over a long recording is widened to fit (the timeline stays readable and its cost bounded).</summary>
    public const int MaxWindows = 10_000;

    /// <summary>
    /// Windows [k·step, k·step + length) that fit in <paramref name="duration"/>, plus one ending exactly at the clip's end
    /// when the regular ones leave a tail; a clip shorter than a window has the single window [0, duration). When
    /// <paramref name="step"/> would make more than <see cref="MaxWindows"/>, the step is widened to fit.
    /// </summary>
    public static TimeInterval[] Of(double duration, double length, double step)
    {
        if (!(duration > 0)) return [];
        if (duration <= length) return [new TimeInterval(0, duration)];
        step = Math.Max(step, (duration - length) / (MaxWindows - 2));
        var list = new List<TimeInterval>();
        for (int k = 0; Fits(Regular(k, length, step), duration); k++) list.Add(Regular(k, length, step));
        if (Tail(duration, length, list[^1].End) is { } tail) list.Add(tail);
        return list.ToArray();
    }

    /// <summary>The k-th regular window [k·step, k·step + length).</summary>
    public static TimeInterval Regular(int k, double length, double step) => new(k * step, k * step + length);

    /// <summary>Whether <paramref name="window"/> ends within a clip of <paramref name="duration"/> seconds.</summary>
    public static bool Fits(TimeInterval window, double duration) => window.End <= duration + 1e-6;

    /// <summary>The window ending exactly at the clip's end, when the regular windows (the last ending at <paramref name="lastEnd"/>) leave a tail.</summary>
    public static TimeInterval? Tail(double duration, double length, double lastEnd) =>
        lastEnd < duration - 1e-3 ? new TimeInterval(duration - length, duration) : null;
}
