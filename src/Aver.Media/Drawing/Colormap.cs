namespace Aver.Media.Drawing;

/// <summary>Colour maps from [0, 1] (values outside are clamped), piecewise linear between a few stops.</summary>
public static class Colormap
{
    // Five stops of matplotlib's viridis.
    private static readonly Rgb[] ViridisStops = [new(68, 1, 84), new(59, 82, 139), new(33, 145, 140), new(94, 201, 98), new(253, 231, 37)];
    // Blue - white - red for signed values (deltas); 0.5 is zero.
    private static readonly Rgb[] DivergingStops = [new(33, 102, 172), new(146, 197, 222), new(247, 247, 247), new(244, 165, 130), new(178, 24, 43)];
    // White to dark blue (matplotlib's "Blues"), for counts and fractions.
    private static readonly Rgb[] BluesStops = [new(247, 251, 255), new(107, 174, 214), new(8, 48, 107)];

    /// <summary>Dark purple to yellow, perceptually uniform: spectrograms.</summary>
    public static Rgb Viridis(double t) => Interpolate(ViridisStops, t);

    /// <summary>Blue - white - red: signed values symmetric about zero (t = 0.5).</summary>
    public static Rgb Diverging(double t) => Interpolate(DivergingStops, t);

    /// <summary>White to dark blue: heat maps of fractions such as confusion matrices.</summary>
    public static Rgb Blues(double t) => Interpolate(BluesStops, t);

    private static Rgb Interpolate(Rgb[] stops, double t)
    {
        double p = Math.Clamp(t, 0, 1) * (stops.Length - 1);
        int i = Math.Min(stops.Length - 2, (int)p);
        return Rgb.Lerp(stops[i], stops[i + 1], p - i);
    }
}
