namespace Aver.Data.Metrics;

/// <summary>Mean and standard deviation of a metric over folds.</summary>
/// <param name="Std">Sample standard deviation (n − 1 in the denominator); 0 for a single fold.</param>
public readonly record struct Aggregate(double Mean, double Std, int Count)
{
    /// <summary>Aggregates the finite values of <paramref name="values"/> (NaN folds are left out).</summary>
    public static Aggregate Of(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length == 0) return new Aggregate(double.NaN, double.NaN, 0);
        double mean = v.Average();
        double ss = 0;
        foreach (var x in v) ss += (x - mean) * (x - mean);
        return new Aggregate(mean, v.Length > 1 ? Math.Sqrt(ss / (v.Length - 1)) : 0, v.Length);
    }
}
