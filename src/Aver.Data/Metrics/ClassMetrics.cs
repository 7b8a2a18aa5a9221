namespace Aver.Data.Metrics;

/// <summary>Precision, recall, F1 and support of one class.</summary>
public sealed record ClassMetrics(string Class, double Precision, double Recall, double F1, long Support)
{
    /// <summary>One row per class of <paramref name="m"/>.</summary>
    public static IReadOnlyList<ClassMetrics> Of(ConfusionMatrix m) =>
        Enumerable.Range(0, m.Classes).Select(c => new ClassMetrics(m.Labels.Names[c], m.Precision(c), m.Recall(c), m.F1(c), m.Support(c))).ToList();
}
