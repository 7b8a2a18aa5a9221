using Aver.Media;

namespace Aver.Features.Plots;

/// <summary>An RGB colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static Rgb White => new(255, 255, 255);
    public static Rgb Black => new(0, 0, 0);
    public static Rgb Gray(byte v) => new(v, v, v);
}

/// <summary>
/// A minimal RGB drawing surface over an <see cref="Image"/>: filled rectangles, lines along the axes,
/// text in <see cref="BitmapFont"/>, and heat maps of float matrices through <see cref="Colormap"/>.
/// Everything is clipped to the image.
/// </summary>
public sealed class Canvas(int width, int height, Rgb background)
{
    public Image Image { get; } = Fill(width, height, background);
    public int Width => Image.Width;
    public int Height => Image.Height;

    private static Image Fill(int w, int h, Rgb c)
    {
        var img = Image.Blank(w, h, ImageColor.Rgb);
        for (int i = 0; i < img.Data.Length; i += 3) { img.Data[i] = c.R; img.Data[i + 1] = c.G; img.Data[i + 2] = c.B; }
        return img;
    }

    public void Set(int x, int y, Rgb c)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        int i = (y * Width + x) * 3;
        Image.Data[i] = c.R; Image.Data[i + 1] = c.G; Image.Data[i + 2] = c.B;
    }

    public void Rect(int x, int y, int w, int h, Rgb c)
    {
        for (int j = Math.Max(0, y); j < Math.Min(Height, y + h); j++)
            for (int i = Math.Max(0, x); i < Math.Min(Width, x + w); i++) Set(i, j, c);
    }

    /// <summary>A one-pixel outline.</summary>
    public void Frame(int x, int y, int w, int h, Rgb c)
    {
        Rect(x, y, w, 1, c); Rect(x, y + h - 1, w, 1, c);
        Rect(x, y, 1, h, c); Rect(x + w - 1, y, 1, h, c);
    }

    /// <summary><paramref name="text"/> with its top-left corner at (x, y); each font pixel is scale x scale.</summary>
    public void Text(int x, int y, string text, Rgb c, int scale = 1)
    {
        for (int k = 0; k < text.Length; k++)
            for (int r = 0; r < BitmapFont.GlyphHeight; r++)
            {
                var row = BitmapFont.Row(text[k], r);
                for (int col = 0; col < BitmapFont.GlyphWidth; col++)
                    if (row[col] == '#') Rect(x + (k * BitmapFont.Advance + col) * scale, y + r * scale, scale, scale, c);
            }
    }

    /// <summary>
    /// A [rows, cols] row-major matrix drawn into the box (x, y, w, h) by nearest sampling, row 0 at the
    /// bottom (low frequencies low), values mapped linearly from [lo, hi] onto <paramref name="map"/>.
    /// </summary>
    public void Heatmap(int x, int y, int w, int h, ReadOnlySpan<float> values, int rows, int cols, float lo, float hi, Func<float, Rgb> map)
    {
        float range = hi > lo ? hi - lo : 1;
        for (int j = 0; j < h; j++)
        {
            int r = Math.Min(rows - 1, (int)((h - 1 - j + 0.5) * rows / h));
            for (int i = 0; i < w; i++)
            {
                int c = Math.Min(cols - 1, (int)((i + 0.5) * cols / w));
                Set(x + i, y + j, map(Math.Clamp((values[r * cols + c] - lo) / range, 0, 1)));
            }
        }
    }
}

/// <summary>Colour maps from [0, 1].</summary>
public static class Colormap
{
    // Five stops of matplotlib's viridis, interpolated linearly.
    private static readonly Rgb[] ViridisStops = [new(68, 1, 84), new(59, 82, 139), new(33, 145, 140), new(94, 201, 98), new(253, 231, 37)];
    // Blue - white - red for signed values (deltas), 0.5 is zero.
    private static readonly Rgb[] DivergingStops = [new(33, 102, 172), new(146, 197, 222), new(247, 247, 247), new(244, 165, 130), new(178, 24, 43)];

    public static Rgb Viridis(float t) => Interpolate(ViridisStops, t);
    public static Rgb Diverging(float t) => Interpolate(DivergingStops, t);

    private static Rgb Interpolate(Rgb[] stops, float t)
    {
        float p = Math.Clamp(t, 0, 1) * (stops.Length - 1);
        int i = Math.Min(stops.Length - 2, (int)p);
        float f = p - i;
        var (a, b) = (stops[i], stops[i + 1]);
        return new((byte)(a.R + f * (b.R - a.R)), (byte)(a.G + f * (b.G - a.G)), (byte)(a.B + f * (b.B - a.B)));
    }
}
