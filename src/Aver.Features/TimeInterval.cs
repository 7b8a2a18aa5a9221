namespace Aver.Features;

/// <summary>A half-open time interval [Start, End) in seconds (DESIGN.md: segments carry [start, end)).</summary>
public readonly record struct TimeInterval(double Start, double End)
{
    public double Duration => End - Start;

    /// <summary>Whether <paramref name="t"/> lies in [Start, End).</summary>
    public bool Contains(double t) => t >= Start && t < End;

    public override string ToString() => $"[{Start:0.###} s, {End:0.###} s)";
}
