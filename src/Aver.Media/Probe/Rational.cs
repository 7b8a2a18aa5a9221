using System.Globalization;

namespace Aver.Media;

/// <summary>An exact ratio such as a frame rate of 30000/1001 (29.97 fps).</summary>
public readonly record struct Rational(long Numerator, long Denominator)
{
    public double Value => Denominator == 0 ? double.NaN : (double)Numerator / Denominator;
    public bool IsValid => Numerator > 0 && Denominator > 0;

    /// <summary>Parses ffprobe's "30000/1001" (or a plain number); "0/0" and garbage give an invalid ratio.</summary>
    public static Rational Parse(string? s)
    {
        if (string.IsNullOrEmpty(s)) return default;
        var parts = s.Split('/');
        if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                              && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var d))
            return new Rational(n, d);
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
            ? new Rational((long)Math.Round(v * 1000), 1000) : default;
    }

    /// <summary>The form ffmpeg's options accept ("30000/1001").</summary>
    public override string ToString() => $"{Numerator}/{Denominator}";
}
