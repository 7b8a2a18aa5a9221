using Aver.Media;
using Aver.Media.Drawing;

namespace Aver.Cli.Samples;

/// <summary>
/// A flat-shaded front-facing cartoon face drawn from ellipses, so the repository can make a face video of its own
/// (no photograph of a person is shipped). BlazeFace finds it: `aver sample` checks that and says so when it does not.
/// A smile in [0, 1] opens the mouth into a smile; 0 draws a closed, straight mouth.
/// </summary>
internal static class CartoonFace
{
    private static readonly Rgb Background = new(70, 90, 120), Hair = new(60, 40, 25), Skin = new(225, 180, 150),
        SkinShade = new(205, 155, 125), Ear = new(215, 170, 140), Neck = new(200, 150, 120), Brow = new(50, 35, 25),
        EyeWhite = new(245, 245, 245), Iris = new(70, 50, 30), Pupil = new(10, 10, 10), Nostril = new(150, 100, 80),
        Lips = new(150, 50, 55), Teeth = new(250, 250, 250);

    /// <summary>A 640x480 RGB picture with the face in the middle.</summary>
    public static Image Draw(double smile = 1)
    {
        var c = new Canvas(640, 480, Background);
        double x = 320, y = 250;
        Ellipse(c, x, y - 57, 125, 117, Hair, 0);                              // hair behind the head
        c.FillRect(275, 350, 90, 130, Neck);
        Ellipse(c, x, y + 5, 105, 145, Skin, 0);                               // face
        Ellipse(c, x - 110, y, 15, 30, Ear, 0);
        Ellipse(c, x + 110, y, 15, 30, Ear, 0);
        Ellipse(c, x, y - 85, 110, 65, Hair, -1);                               // fringe: upper half only
        c.Line(x - 70, y - 45, x - 25, y - 50, Brow, 7);
        c.Line(x + 25, y - 50, x + 70, y - 45, Brow, 7);
        foreach (double ex in new[] { x - 45, x + 45 })
        {
            Ellipse(c, ex, y - 15, 22, 10, EyeWhite, 0);
            c.FillCircle(ex, y - 15, 9, Iris);
            c.FillCircle(ex, y - 15, 4, Pupil);
        }
        Triangle(c, (x, y - 5), (x - 14, y + 45), (x + 14, y + 45), SkinShade);
        c.FillCircle(x - 10, y + 43, 6, Nostril);
        c.FillCircle(x + 10, y + 43, 6, Nostril);
        if (smile > 0)
        {
            Ellipse(c, x, y + 82, 42, 22 * smile + 2, Lips, 1);                 // lower half: a smile
            Ellipse(c, x, y + 73, 34, 11 * smile + 1, Teeth, 1);
        }
        else c.Line(x - 35, y + 85, x + 35, y + 85, Lips, 6);
        return Blur(c.ToImage(), 2);
    }

    /// <summary>A filled ellipse; <paramref name="half"/> −1 keeps the upper half, 1 the lower, 0 all of it.</summary>
    private static void Ellipse(Canvas c, double cx, double cy, double rx, double ry, Rgb color, int half)
    {
        for (int y = (int)(cy - ry); y <= (int)(cy + ry) + 1; y++)
        {
            if ((half < 0 && y > cy) || (half > 0 && y < cy)) continue;
            for (int x = (int)(cx - rx); x <= (int)(cx + rx) + 1; x++)
            {
                double u = (x - cx) / rx, v = (y - cy) / ry;
                if (u * u + v * v <= 1 && x >= 0 && y >= 0 && x < c.Width && y < c.Height) c.SetPixel(x, y, color);
            }
        }
    }

    private static void Triangle(Canvas c, (double X, double Y) a, (double X, double Y) b, (double X, double Y) d, Rgb color)
    {
        static double Side((double X, double Y) p, (double X, double Y) q, double x, double y) => (q.X - p.X) * (y - p.Y) - (q.Y - p.Y) * (x - p.X);
        int x0 = (int)Math.Min(a.X, Math.Min(b.X, d.X)), x1 = (int)Math.Max(a.X, Math.Max(b.X, d.X)) + 1;
        int y0 = (int)Math.Min(a.Y, Math.Min(b.Y, d.Y)), y1 = (int)Math.Max(a.Y, Math.Max(b.Y, d.Y)) + 1;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
            {
                double s1 = Side(a, b, x, y), s2 = Side(b, d, x, y), s3 = Side(d, a, x, y);
                if ((s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0)) c.SetPixel(x, y, color);
            }
    }

    /// <summary>A box blur of the given radius, twice (close to a Gaussian): flat shapes get soft edges like a photograph's.</summary>
    private static Image Blur(Image img, int radius)
    {
        var data = img.Data;
        for (int pass = 0; pass < 2; pass++) data = BoxBlur(data, img.Width, img.Height, img.Channels, radius);
        return new Image(img.Width, img.Height, img.Channels, data);
    }

    private static byte[] BoxBlur(byte[] src, int w, int h, int ch, int r) =>
        BoxBlurAlong(BoxBlurAlong(src, w, h, ch, r, 1, 0), w, h, ch, r, 0, 1);

    /// <summary>The mean over ±r pixels along (dx, dy) = (1, 0) (rows) or (0, 1) (columns), clipped at the picture's edges.</summary>
    private static byte[] BoxBlurAlong(byte[] src, int w, int h, int ch, int r, int dx, int dy)
    {
        var dst = new byte[src.Length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int k = 0; k < ch; k++)
                {
                    int sum = 0, n = 0;
                    for (int d = -r; d <= r; d++)
                    {
                        int xx = x + d * dx, yy = y + d * dy;
                        if (xx >= 0 && xx < w && yy >= 0 && yy < h) { sum += src[(yy * w + xx) * ch + k]; n++; }
                    }
                    dst[(y * w + x) * ch + k] = (byte)(sum / n);
                }
        return dst;
    }
}
