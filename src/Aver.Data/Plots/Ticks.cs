using System.Globalization;

namespace Aver.Data.Plots;

/// <summary>"Nice" axis ticks: steps of 1, 2 or 5 times a power of ten covering a range.</summary>
public static class Ticks
{
    /// <summary>About <paramref name="count"/> tick values from a nice multiple at or below <paramref name="min"/> to one at or above <paramref name="max"/>.</summary>
    public static double[] Nice(double min, double max, int count = 6)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) return [0, 1];
        if (max <= min) { max = min + (min == 0 ? 1 : Math.Abs(min) * 0.1); }
        double step = Step((max - min) / Math.Max(1, count - 1));
        double first = Math.Floor(min / step + 1e-9) * step, last = Math.Ceiling(max / step - 1e-9) * step;
        var ticks = new List<double>();
        for (double v = first; v <= last + step * 1e-6; v += step) ticks.Add(Math.Abs(v) < step * 1e-9 ? 0 : v);
        return ticks.ToArray();
    }

    /// <summary>The nice step (1, 2 or 5 × 10^k) nearest above <paramref name="raw"/>.</summary>
    public static double Step(double raw)
    {
        double p = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }

    /// <summary>Labels for <paramref name="ticks"/> with just enough decimals to tell them apart.</summary>
    public static string[] Labels(double[] ticks)
    {
        double step = ticks.Length > 1 ? Math.Abs(ticks[1] - ticks[0]) : 1;
        int decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(step) - 1e-9), 0, 6);
        return ticks.Select(t => t.ToString("F" + decimals, CultureInfo.InvariantCulture)).ToArray();
    }
}
