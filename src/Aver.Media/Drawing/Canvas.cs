namespace Aver.Media.Drawing;

/// <summary>
/// A small RGB raster to draw plots on: pixels, filled and outlined rectangles, lines of any
/// thickness, filled circles, and text in the built-in <see cref="BitmapFont"/> scaled by an integer
/// factor, horizontal or rotated for vertical axis labels, and heat maps of float matrices through a
/// <see cref="Colormap"/>. Drawing outside the canvas is clipped; <see cref="SavePng"/> writes it.
/// </summary>
public sealed class Canvas
{
    private readonly byte[] _pixels;

    public Canvas(int width, int height, Rgb background)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"canvas size {width}x{height} must be positive");
        Width = width;
        Height = height;
        _pixels = new byte[width * height * 3];
        FillRect(0, 0, width, height, background);
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The colour of pixel (x, y).</summary>
    public Rgb this[int x, int y] => new(_pixels[(y * Width + x) * 3], _pixels[(y * Width + x) * 3 + 1], _pixels[(y * Width + x) * 3 + 2]);

    public void SetPixel(int x, int y, Rgb c)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        int i = (y * Width + x) * 3;
        _pixels[i] = c.R; _pixels[i + 1] = c.G; _pixels[i + 2] = c.B;
    }

    /// <summary>Fills [x, x + w) × [y, y + h).</summary>
    public void FillRect(int x, int y, int w, int h, Rgb c)
    {
        int x0 = Math.Max(0, x), y0 = Math.Max(0, y), x1 = Math.Min(Width, x + w), y1 = Math.Min(Height, y + h);
        for (int yy = y0; yy < y1; yy++)
            for (int xx = x0; xx < x1; xx++) SetPixel(xx, yy, c);
    }

    /// <summary>The outline of [x, x + w) × [y, y + h), one pixel wide.</summary>
    public void DrawRect(int x, int y, int w, int h, Rgb c)
    {
        FillRect(x, y, w, 1, c); FillRect(x, y + h - 1, w, 1, c);
        FillRect(x, y, 1, h, c); FillRect(x + w - 1, y, 1, h, c);
    }

    /// <summary>A line from (x0, y0) to (x1, y1), <paramref name="thickness"/> pixels wide (Bresenham, stamping squares).</summary>
    public void Line(double x0, double y0, double x1, double y1, Rgb c, int thickness = 1)
    {
        int ax = (int)Math.Round(x0), ay = (int)Math.Round(y0), bx = (int)Math.Round(x1), by = (int)Math.Round(y1);
        int dx = Math.Abs(bx - ax), dy = -Math.Abs(by - ay), sx = ax < bx ? 1 : -1, sy = ay < by ? 1 : -1, err = dx + dy;
        int off = (thickness - 1) / 2;
        while (true)
        {
            if (thickness <= 1) SetPixel(ax, ay, c); else FillRect(ax - off, ay - off, thickness, thickness, c);
            if (ax == bx && ay == by) break;
            int e2 = 2 * err;
            if (e2 >= dy) { err += dy; ax += sx; }
            if (e2 <= dx) { err += dx; ay += sy; }
        }
    }

    /// <summary>A filled disc of <paramref name="radius"/> around (cx, cy).</summary>
    public void FillCircle(double cx, double cy, double radius, Rgb c)
    {
        int x0 = (int)Math.Floor(cx - radius), x1 = (int)Math.Ceiling(cx + radius);
        int y0 = (int)Math.Floor(cy - radius), y1 = (int)Math.Ceiling(cy + radius);
        double r2 = radius * radius;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r2) SetPixel(x, y, c);
    }

    /// <summary>
    /// A [rows, cols] row-major matrix drawn into the box (x, y, w, h) by nearest sampling, row 0 at the
    /// bottom (low frequencies low), values mapped linearly from [lo, hi] onto <paramref name="map"/>.
    /// </summary>
    public void Heatmap(int x, int y, int w, int h, ReadOnlySpan<float> values, int rows, int cols, float lo, float hi, Func<double, Rgb> map)
    {
        if (values.Length < rows * cols) throw new ArgumentException($"heat map of {rows}x{cols} needs {rows * cols} values, got {values.Length}", nameof(values));
        float range = hi > lo ? hi - lo : 1;
        for (int j = 0; j < h; j++)
        {
            int r = Math.Min(rows - 1, (int)((h - 1 - j + 0.5) * rows / h));
            for (int i = 0; i < w; i++)
            {
                int c = Math.Min(cols - 1, (int)((i + 0.5) * cols / w));
                SetPixel(x + i, y + j, map(Math.Clamp((values[r * cols + c] - lo) / range, 0, 1)));
            }
        }
    }

    /// <summary>Width in pixels of <paramref name="text"/> at <paramref name="scale"/>.</summary>
    public static int TextWidth(string text, int scale = 1) => text.Length == 0 ? 0 : (text.Length * BitmapFont.Advance - 1) * scale;

    /// <summary>Height in pixels of a line of text at <paramref name="scale"/>.</summary>
    public static int TextHeight(int scale = 1) => BitmapFont.Height * scale;

    /// <summary>Draws <paramref name="text"/> with its anchor at (x, y), aligned horizontally and vertically as given.</summary>
    public void Text(int x, int y, string text, Rgb c, int scale = 1, Align horizontal = Align.Start, Align vertical = Align.Start)
    {
        x -= Offset(TextWidth(text, scale), horizontal);
        y -= Offset(TextHeight(scale), vertical);
        for (int i = 0; i < text.Length; i++)
            for (int gx = 0; gx < BitmapFont.Width; gx++)
                for (int gy = 0; gy < BitmapFont.Height; gy++)
                    if (BitmapFont.IsSet(text[i], gx, gy))
                        FillRect(x + (i * BitmapFont.Advance + gx) * scale, y + gy * scale, scale, scale, c);
    }

    /// <summary>Draws <paramref name="text"/> rotated a quarter turn anticlockwise (reading bottom to top), centred on (x, y).</summary>
    public void TextVertical(int x, int y, string text, Rgb c, int scale = 1)
    {
        int w = TextWidth(text, scale), h = TextHeight(scale);
        int left = x - h / 2, bottom = y + w / 2;
        for (int i = 0; i < text.Length; i++)
            for (int gx = 0; gx < BitmapFont.Width; gx++)
                for (int gy = 0; gy < BitmapFont.Height; gy++)
                    if (BitmapFont.IsSet(text[i], gx, gy))
                        FillRect(left + gy * scale, bottom - (i * BitmapFont.Advance + gx + 1) * scale, scale, scale, c);
    }

    private static int Offset(int size, Align a) => a switch { Align.Center => size / 2, Align.End => size, _ => 0 };

    /// <summary>The canvas as an RGB <see cref="Image"/>.</summary>
    public Image ToImage() => new(Width, Height, 3, (byte[])_pixels.Clone());

    /// <summary>Writes the canvas as a PNG (atomically).</summary>
    public void SavePng(string path) => Png.Write(path, ToImage());
}
