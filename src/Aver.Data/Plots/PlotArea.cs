using Aver.Media.Drawing;

namespace Aver.Data.Plots;

/// <summary>A rectangle of a canvas.</summary>
public readonly record struct Rect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
}

/// <summary>
/// A data rectangle on a canvas mapping data coordinates to pixels, with its frame, grid, ticks,
/// tick labels, axis labels and title drawn around it.
/// </summary>
public sealed class PlotArea
{
    public const int Scale = 2;

    public PlotArea(Canvas canvas, Rect frame, double xMin, double xMax, double yMin, double yMax)
    {
        Canvas = canvas;
        Frame = frame;
        XTicks = Ticks.Nice(xMin, xMax);
        YTicks = Ticks.Nice(yMin, yMax);
        (XMin, XMax, YMin, YMax) = (XTicks[0], XTicks[^1], YTicks[0], YTicks[^1]);
    }

    public Canvas Canvas { get; }

    /// <summary>The data rectangle in pixels.</summary>
    public Rect Frame { get; }
    public double XMin { get; }
    public double XMax { get; }
    public double YMin { get; }
    public double YMax { get; }
    public double[] XTicks { get; }
    public double[] YTicks { get; }

    /// <summary>Pixel column of data x.</summary>
    public double X(double x) => Frame.X + (x - XMin) / (XMax - XMin) * (Frame.Width - 1);

    /// <summary>Pixel row of data y (up is larger).</summary>
    public double Y(double y) => Frame.Bottom - 1 - (y - YMin) / (YMax - YMin) * (Frame.Height - 1);

    /// <summary>Grid, frame, tick labels, axis labels and the title.</summary>
    public void DrawAxes(string title, string xLabel, string yLabel, bool ticks = true)
    {
        var c = Canvas;
        if (ticks)
        {
            foreach (var t in XTicks) c.FillRect((int)Math.Round(X(t)), Frame.Y, 1, Frame.Height, Rgb.LightGray);
            foreach (var t in YTicks) c.FillRect(Frame.X, (int)Math.Round(Y(t)), Frame.Width, 1, Rgb.LightGray);
            var xl = Ticks.Labels(XTicks);
            for (int i = 0; i < XTicks.Length; i++)
            {
                int px = (int)Math.Round(X(XTicks[i]));
                c.FillRect(px, Frame.Bottom, 1, 5, Rgb.Black);
                c.Text(px, Frame.Bottom + 8, xl[i], Rgb.Black, Scale, Align.Center);
            }
            var yl = Ticks.Labels(YTicks);
            for (int i = 0; i < YTicks.Length; i++)
            {
                int py = (int)Math.Round(Y(YTicks[i]));
                c.FillRect(Frame.X - 5, py, 5, 1, Rgb.Black);
                c.Text(Frame.X - 9, py, yl[i], Rgb.Black, Scale, Align.End, Align.Center);
            }
        }
        c.DrawRect(Frame.X, Frame.Y, Frame.Width, Frame.Height, Rgb.Black);
        c.Text(Frame.X + Frame.Width / 2, Frame.Y - 12, title, Rgb.Black, Scale, Align.Center, Align.End);
        c.Text(Frame.X + Frame.Width / 2, Frame.Bottom + 32, xLabel, Rgb.Black, Scale, Align.Center);
        int widest = ticks ? Ticks.Labels(YTicks).Max(s => Canvas.TextWidth(s, Scale)) : 0;
        c.TextVertical(Frame.X - 9 - widest - 16, Frame.Y + Frame.Height / 2, yLabel, Rgb.Black, Scale);
    }

    /// <summary>A legend box of coloured swatches and names in the frame's top-right (or top-left) corner.</summary>
    public void Legend(IReadOnlyList<(string Name, Rgb Color)> entries, bool left = false)
    {
        if (entries.Count == 0) return;
        int lineH = Canvas.TextHeight(Scale) + 8;
        int w = entries.Max(e => Canvas.TextWidth(e.Name, Scale)) + 40, h = entries.Count * lineH + 8;
        int x = left ? Frame.X + 10 : Frame.Right - w - 10, y = Frame.Y + 10;
        Canvas.FillRect(x, y, w, h, Rgb.White);
        Canvas.DrawRect(x, y, w, h, Rgb.Gray);
        for (int i = 0; i < entries.Count; i++)
        {
            int cy = y + 4 + i * lineH + lineH / 2;
            Canvas.FillRect(x + 8, cy - 5, 18, 10, entries[i].Color);
            Canvas.Text(x + 32, cy, entries[i].Name, Rgb.Black, Scale, Align.Start, Align.Center);
        }
    }
}
