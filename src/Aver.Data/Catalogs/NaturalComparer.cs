namespace Aver.Data.Catalogs;

/// <summary>Orders ids numerically when both are whole numbers ("2" before "10"), ordinally otherwise.</summary>
public sealed class NaturalComparer : IComparer<string>
{
    public static NaturalComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null) return x is null ? (y is null ? 0 : -1) : 1;
        if (long.TryParse(x, out long a) && long.TryParse(y, out long b) && a != b) return a.CompareTo(b);
        return string.CompareOrdinal(x, y);
    }
}
