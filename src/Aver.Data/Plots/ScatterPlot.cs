using Aver.Data.Labels;
using Aver.Media.Drawing;

namespace Aver.Data.Plots;

/// <summary>A 2-D embedding (t-SNE) as dots coloured by class with a legend, as MRPN Figure 4.</summary>
public static class ScatterPlot
{
    /// <param name="points">[N, 2] coordinates.</param>
    /// <param name="classes">N class indices in <paramref name="labels"/>.</param>
    public static Canvas Render(double[,] points, IReadOnlyList<int> classes, LabelSpace labels, string title)
    {
        int n = points.GetLength(0);
        var c = new Canvas(920, 700, Rgb.White);
        var frame = new Rect(40, 60, 600, 600);
        double x0 = double.MaxValue, x1 = double.MinValue, y0 = double.MaxValue, y1 = double.MinValue;
        for (int i = 0; i < n; i++)
        {
            x0 = Math.Min(x0, points[i, 0]); x1 = Math.Max(x1, points[i, 0]);
            y0 = Math.Min(y0, points[i, 1]); y1 = Math.Max(y1, points[i, 1]);
        }
        if (n == 0) (x0, x1, y0, y1) = (0, 1, 0, 1);
        // A margin so that dots on the extremes do not touch the frame.
        double mx = Math.Max(1e-9, (x1 - x0) * 0.06), my = Math.Max(1e-9, (y1 - y0) * 0.06);
        (x0, x1, y0, y1) = (x0 - mx, x1 + mx, y0 - my, y1 + my);
        var area = new PlotArea(c, frame, x0, x1, y0, y1);
        area.DrawAxes(title, "", "", ticks: false); // t-SNE axes carry no meaning
        double r = n > 2000 ? 2 : n > 500 ? 3 : 4;
        for (int i = 0; i < n; i++) c.FillCircle(area.X(points[i, 0]), area.Y(points[i, 1]), r, Rgb.Category(classes[i]));

        // Legend beside the plot, one swatch per class with its count.
        int lx = frame.Right + 30, ly = frame.Y + 10;
        for (int k = 0; k < labels.Count; k++)
        {
            int count = classes.Count(x => x == k);
            c.FillCircle(lx + 8, ly + k * 28 + 7, 7, Rgb.Category(k));
            c.Text(lx + 24, ly + k * 28 + 7, $"{labels.Names[k]} ({count})", Rgb.Black, PlotArea.Scale, Align.Start, Align.Center);
        }
        return c;
    }
}
