using System.Globalization;
using Aver.Media.Drawing;
using Aver.Data.Metrics;

namespace Aver.Data.Plots;

/// <summary>
/// A confusion matrix as a heat map in the manner of MRPN Figures 10-11: true classes down the side,
/// predictions along the bottom, each cell shaded by its share of the true class and labelled with
/// that share (percent) and the count.
/// </summary>
public static class ConfusionPlot
{
    public static Canvas Render(ConfusionMatrix m, string title)
    {
        const int s = PlotArea.Scale;
        int n = m.Classes;
        int cell = n <= 8 ? 72 : Math.Max(40, 576 / n);
        int names = m.Labels.Names.Max(x => Canvas.TextWidth(x, s));
        int left = names + 50, top = 60, bottom = names + 60;
        int width = Math.Max(left + n * cell + 30, Canvas.TextWidth(title, s) + 40), height = top + n * cell + bottom;
        var c = new Canvas(width, height, Rgb.White);
        c.Text(left + n * cell / 2, 24, title, Rgb.Black, s, Align.Center, Align.Center);

        for (int t = 0; t < n; t++)
        {
            var fractions = m.RowFractions(t);
            for (int p = 0; p < n; p++)
            {
                int x = left + p * cell, y = top + t * cell;
                var fill = Colormap.Blues(fractions[p]);
                c.FillRect(x, y, cell, cell, fill);
                var ink = fill.Luminance < 0.5 ? Rgb.White : Rgb.Black;
                string pct = (fractions[p] * 100).ToString("F0", CultureInfo.InvariantCulture) + "%";
                c.Text(x + cell / 2, y + cell / 2 - 6, pct, ink, cell >= 60 ? s : 1, Align.Center, Align.Center);
                c.Text(x + cell / 2, y + cell / 2 + 12, m[t, p].ToString(CultureInfo.InvariantCulture), ink, 1, Align.Center, Align.Center);
            }
            c.Text(left - 8, top + t * cell + cell / 2, m.Labels.Names[t], Rgb.Black, s, Align.End, Align.Center);
            c.TextVertical(left + t * cell + cell / 2, top + n * cell + 8 + names / 2, m.Labels.Names[t], Rgb.Black, s);
        }
        for (int i = 0; i <= n; i++)
        {
            c.FillRect(left, top + i * cell, n * cell, 1, Rgb.Gray);
            c.FillRect(left + i * cell, top, 1, n * cell, Rgb.Gray);
        }
        c.Text(left + n * cell / 2, top + n * cell + names + 30, "predicted", Rgb.Black, s, Align.Center);
        c.TextVertical(18, top + n * cell / 2, "true", Rgb.Black, s);
        return c;
    }
}
