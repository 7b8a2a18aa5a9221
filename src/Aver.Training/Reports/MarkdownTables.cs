using System.Globalization;
using System.Text;

namespace Aver.Training.Reports;

/// <summary>
/// Markdown tables laid out like MRPN Tables 1-3: one row per model or setting, one column per fold
/// ("A1,2", "A3,4", ...), then the mean (± sample standard deviation) over folds. Values in percent.
/// </summary>
public static class MarkdownTables
{
    /// <summary>A table of <paramref name="metric"/> (per fold) for every model.</summary>
    public static string Table(IReadOnlyList<ModelOutcome> models, Func<FoldOutcome, double> metric, string corner = "Model")
    {
        var folds = models.SelectMany(m => m.Folds.Select(f => f.Fold)).Distinct().ToList();
        var sb = new StringBuilder();
        sb.Append("| ").Append(Escape(corner)).Append(" | ").Append(string.Join(" | ", folds.Select(Escape))).AppendLine(" | Mean |");
        sb.Append("|---|").Append(string.Concat(folds.Select(_ => "---:|"))).AppendLine("---:|");
        foreach (var m in models)
        {
            var byFold = m.Folds.ToDictionary(f => f.Fold, metric);
            sb.Append("| ").Append(Escape(m.Name)).Append(" | ");
            sb.Append(string.Join(" | ", folds.Select(f => byFold.TryGetValue(f, out var v) ? Percent(v) : "–")));
            var agg = Aver.Data.Metrics.Aggregate.Of(byFold.Values);
            sb.Append(" | ").Append(Percent(agg.Mean));
            if (agg.Count > 1) sb.Append(" ± ").Append(Percent(agg.Std));
            sb.AppendLine(" |");
        }
        return sb.ToString();
    }

    /// <summary><paramref name="v"/> as a percentage with one decimal; "–" when undefined.</summary>
    public static string Percent(double v) => double.IsFinite(v) ? (v * 100).ToString("F1", CultureInfo.InvariantCulture) : "–";

    private static string Escape(string s) => s.Replace("|", "\\|");
}
