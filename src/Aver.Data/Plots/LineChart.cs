using Aver.Media.Drawing;

namespace Aver.Data.Plots;

/// <summary>A named polyline; <see cref="Dashed"/> draws it with gaps (e.g. validation beside training).</summary>
public sealed record Series(string Name, Rgb Color, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);

/// <summary>Line charts: series over shared axes with a legend.</summary>
public static class LineChart
{
    /// <summary>Draws <paramref name="series"/> into <paramref name="frame"/> of <paramref name="canvas"/>.</summary>
    /// <param name="yMin">Fixed lower bound (e.g. 0 for accuracy); otherwise from the data.</param>
    public static PlotArea Draw(Canvas canvas, Rect frame, string title, string xLabel, string yLabel, IReadOnlyList<Series> series,
        double? yMin = null, double? yMax = null)
    {
        var finite = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        double x0 = finite.Count > 0 ? finite.Min(p => p.X) : 0, x1 = finite.Count > 0 ? finite.Max(p => p.X) : 1;
        double y0 = yMin ?? (finite.Count > 0 ? finite.Min(p => p.Y) : 0), y1 = yMax ?? (finite.Count > 0 ? finite.Max(p => p.Y) : 1);
        var area = new PlotArea(canvas, frame, x0, x1, y0, y1);
        area.DrawAxes(title, xLabel, yLabel);
        foreach (var s in series)
        {
            for (int i = 1; i < s.Points.Count; i++)
            {
                var (a, b) = (s.Points[i - 1], s.Points[i]);
                if (!double.IsFinite(a.Y) || !double.IsFinite(b.Y)) continue;
                if (s.Dashed) DashedLine(canvas, area.X(a.X), area.Y(a.Y), area.X(b.X), area.Y(b.Y), s.Color);
                else canvas.Line(area.X(a.X), area.Y(a.Y), area.X(b.X), area.Y(b.Y), s.Color, 3);
            }
            foreach (var p in s.Points)
                if (double.IsFinite(p.Y)) canvas.FillCircle(area.X(p.X), area.Y(p.Y), s.Points.Count > 60 ? 2 : 4, s.Color);
        }
        area.Legend(series.Select(s => (s.Name, s.Color)).ToList());
        return area;
    }

    private static void DashedLine(Canvas c, double x0, double y0, double x1, double y1, Rgb color)
    {
        double len = Math.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0));
        int dashes = Math.Max(1, (int)(len / 8));
        for (int i = 0; i < dashes; i += 2)
        {
            double t0 = (double)i / dashes, t1 = Math.Min(1, (i + 1.0) / dashes);
            c.Line(x0 + (x1 - x0) * t0, y0 + (y1 - y0) * t0, x0 + (x1 - x0) * t1, y0 + (y1 - y0) * t1, color, 3);
        }
    }
}
