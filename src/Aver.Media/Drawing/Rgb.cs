namespace Aver.Media.Drawing;

/// <summary>An 8-bit RGB colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static readonly Rgb White = new(255, 255, 255);
    public static readonly Rgb Black = new(0, 0, 0);
    public static readonly Rgb Gray = new(128, 128, 128);
    public static readonly Rgb LightGray = new(225, 225, 225);

    /// <summary>The gray with all three channels at <paramref name="level"/>.</summary>
    public static Rgb FromGray(byte level) => new(level, level, level);

    /// <summary>Matplotlib's "tab10" palette: distinct colours for classes and series.</summary>
    public static readonly Rgb[] Categorical =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    /// <summary>Colour <paramref name="i"/> of the categorical palette (cycling).</summary>
    public static Rgb Category(int i) => Categorical[i % Categorical.Length];

    /// <summary>Linear blend: t = 0 gives a, t = 1 gives b.</summary>
    public static Rgb Lerp(Rgb a, Rgb b, double t)
    {
        t = Math.Clamp(t, 0, 1);
        return new((byte)Math.Round(a.R + (b.R - a.R) * t), (byte)Math.Round(a.G + (b.G - a.G) * t), (byte)Math.Round(a.B + (b.B - a.B) * t));
    }

    /// <summary>Relative luminance in [0, 1]; text on a fill darker than 0.5 is drawn white.</summary>
    public double Luminance => (0.2126 * R + 0.7152 * G + 0.0722 * B) / 255;
}
