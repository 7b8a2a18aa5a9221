using Aver.Media.Drawing;

namespace Aver.Media.Tests.Drawing;

public class CanvasTests
{
    private static int Count(Canvas c, Rgb colour, int x0 = 0, int y0 = 0, int x1 = int.MaxValue, int y1 = int.MaxValue)
    {
        int n = 0;
        for (int y = y0; y < Math.Min(y1, c.Height); y++)
            for (int x = x0; x < Math.Min(x1, c.Width); x++) if (c[x, y] == colour) n++;
        return n;
    }

    [Fact]
    public void TextInksOnlyInsideItsAlignedBox()
    {
        var c = new Canvas(80, 30, Rgb.White);
        c.Text(40, 15, "Ab8", Rgb.Black, scale: 2, Align.Center, Align.Center);
        int w = Canvas.TextWidth("Ab8", 2), h = Canvas.TextHeight(2);
        Assert.Equal((34, 14), (w, h));
        int inside = Count(c, Rgb.Black, 40 - w / 2, 15 - h / 2, 40 - w / 2 + w, 15 - h / 2 + h);
        Assert.True(inside > 40, $"only {inside} ink pixels");
        Assert.Equal(inside, Count(c, Rgb.Black));
        // Lower and upper case differ; unknown characters draw as '?'.
        Assert.NotEqual(Glyph('a'), Glyph('A'));
        Assert.Equal(Glyph('?'), Glyph('\u00e9'));
    }

    private static string Glyph(char ch)
    {
        var bits = new char[BitmapFont.Width * BitmapFont.Height];
        for (int x = 0; x < BitmapFont.Width; x++)
            for (int y = 0; y < BitmapFont.Height; y++) bits[y * BitmapFont.Width + x] = BitmapFont.IsSet(ch, x, y) ? '#' : ' ';
        return new string(bits);
    }

    [Fact]
    public void LineHitsBothEndpointsAndClipsOffCanvas()
    {
        var c = new Canvas(20, 10, Rgb.White);
        var red = new Rgb(200, 10, 10);
        c.Line(2, 1, 17, 8, red);
        Assert.Equal(red, c[2, 1]);
        Assert.Equal(red, c[17, 8]);
        Assert.Equal(16, Count(c, red)); // one pixel per step along the major axis
        c.Line(-50, 5, 50, 5, red, thickness: 3); // clipped, no exception
        Assert.Equal(red, c[0, 4]);
        Assert.Equal(red, c[19, 6]);
        Assert.Equal(Rgb.White, c[0, 3]);
    }

    [Fact]
    public void HeatmapPutsRowZeroAtTheBottom()
    {
        var c = new Canvas(4, 4, Rgb.White);
        c.Heatmap(0, 0, 4, 4, [0f, 0f, 1f, 1f], rows: 2, cols: 2, lo: 0, hi: 1, Colormap.Viridis);
        Assert.Equal(Colormap.Viridis(0), c[0, 3]);
        Assert.Equal(Colormap.Viridis(1), c[3, 0]);
        Assert.Equal(new Rgb(253, 231, 37), Colormap.Viridis(1));
        Assert.Equal(new Rgb(247, 247, 247), Colormap.Diverging(0.5));
    }

    [Fact]
    public void SavedPngDecodesToTheSamePixels()
    {
        using var dir = new TempDir();
        var c = new Canvas(31, 17, Rgb.FromGray(240));
        c.FillCircle(24, 11, 4, Rgb.Category(2));
        c.DrawRect(0, 0, 31, 17, Rgb.Black);
        c.Text(2, 2, "x=1", Rgb.Category(3));
        var path = dir.File("canvas.png");
        c.SavePng(path);
        var back = ImageDecoder.Load(path, ImageColor.Rgb);
        Assert.Equal((31, 17), (back.Width, back.Height));
        Assert.Equal(c.ToImage().Data, back.Data);
        Assert.Equal(Rgb.Category(2), new Rgb(back.Data[(11 * 31 + 24) * 3], back.Data[(11 * 31 + 24) * 3 + 1], back.Data[(11 * 31 + 24) * 3 + 2]));
    }
}
