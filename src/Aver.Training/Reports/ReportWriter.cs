using System.Globalization;
using System.Text;
using Aver.Data.Io;
using Aver.Media.Drawing;
using Aver.Tensors.IO;
using Aver.Training.Embedding;
using Aver.Data.Metrics;
using Aver.Data.Plots;
using Aver.Training.Plots;
using Aver.Training.Training;
using Aver.Tensors;

namespace Aver.Training.Reports;

/// <summary>
/// Writes a report folder: <c>metrics.csv</c> and <c>per_class.csv</c>; <c>tables.md</c> with accuracy and UAR
/// laid out like MRPN Tables 1-3; <c>confusion/</c> CSV and PNG per fold and summed per model (Figures 10-11);
/// <c>curves/</c> training curves and <c>history.csv</c>/<c>history.jsonl</c> (every epoch of every fold);
/// <c>tsne/</c> feature embeddings coloured by class (Figure 4) with their coordinates as CSV; and
/// <c>report.md</c> (headed by Aver's version and commit) linking them all with relative paths. Every file is written atomically.
/// </summary>
public static class ReportWriter
{
    /// <summary>Writes the report for <paramref name="outcome"/> into <paramref name="folder"/>; returns the files written (relative paths).</summary>
    public static IReadOnlyList<string> Write(string folder, ExperimentOutcome outcome, TsneOptions? tsne = null)
    {
        var files = new List<string>();
        void Text(string rel, string content) { AtomicFile.WriteAllText(Path.Combine(folder, rel), content); files.Add(rel); }
        void Picture(string rel, Canvas c) { c.SavePng(Path.Combine(folder, rel)); files.Add(rel); }

        Text("metrics.csv", MetricsCsv(outcome));
        var epochs = outcome.Models.SelectMany(m => m.Folds.SelectMany(f => (f.History ?? []).Select(e => ((string[])[m.Name, f.Fold], e)))).ToList();
        if (epochs.Count > 0)
        {
            HistoryFiles.Write(folder, epochs, ["model", "fold"]);
            files.AddRange([HistoryFiles.CsvFile, HistoryFiles.JsonLinesFile]);
        }
        Text("per_class.csv", PerClassCsv(outcome));
        string accuracy = MarkdownTables.Table(outcome.Models, f => f.Accuracy);
        string uar = MarkdownTables.Table(outcome.Models, f => f.Uar);
        Text("tables.md", $"## Accuracy (%)\n\n{accuracy}\n## Unweighted average recall (%)\n\n{uar}");

        var md = new StringBuilder();
        md.AppendLine($"# {outcome.Title}").AppendLine();
        md.AppendLine($"Written by Aver {BuildInfo.Version}, commit {BuildInfo.Commit}.").AppendLine();
        foreach (var note in outcome.Notes ?? []) md.AppendLine($"- {note}");
        if (outcome.Notes is { Count: > 0 }) md.AppendLine();
        md.AppendLine($"Classes ({outcome.Labels.Name}): {string.Join(", ", outcome.Labels.Names)}.").AppendLine();
        md.AppendLine("## Accuracy (%) per fold").AppendLine().AppendLine(accuracy);
        md.AppendLine("## Unweighted average recall (%) per fold").AppendLine().AppendLine(uar);
        var validated = outcome.Models.Where(m => m.HasValidation).ToList();
        if (validated.Count > 0)
        {
            md.AppendLine("## Validation accuracy (%) per fold at the kept epoch").AppendLine();
            md.AppendLine("The validation speakers' accuracy at the epoch each fold kept: the number to choose between rows by; the test folds above choose nothing.").AppendLine();
            md.AppendLine(MarkdownTables.Table(validated, f => f.ValidationAccuracy));
            var unselected = validated.Where(m => m.HasLastValidation).ToList();
            if (unselected.Count > 0)
            {
                md.AppendLine("At the last epoch trained (chosen by nothing, so without the kept epoch's optimism: the best of many noisy epochs):").AppendLine();
                md.AppendLine(MarkdownTables.Table(unselected, f => f.LastValidationAccuracy));
            }
        }
        md.AppendLine("Per-fold numbers: [metrics.csv](metrics.csv); per-class precision, recall and F1: [per_class.csv](per_class.csv)" +
                      (epochs.Count > 0 ? $"; every epoch: [{HistoryFiles.CsvFile}]({HistoryFiles.CsvFile}), [{HistoryFiles.JsonLinesFile}]({HistoryFiles.JsonLinesFile})." : ".")).AppendLine();

        foreach (var model in outcome.Models)
        {
            string slug = Slug(model.Name);
            md.AppendLine($"## {model.Name}").AppendLine();
            var total = ConfusionMatrix.Sum(model.Folds.Select(f => f.Confusion).ToList());
            string totalRel = $"confusion/{slug}-all";
            Text(totalRel + ".csv", ConfusionCsv(total));
            Picture(totalRel + ".png", ConfusionPlot.Render(total, $"{model.Name}, all folds"));
            md.AppendLine($"Confusion over all folds ([csv]({totalRel}.csv)):").AppendLine();
            md.AppendLine($"![{model.Name} confusion]({totalRel}.png)").AppendLine();

            foreach (var fold in model.Folds)
            {
                string fslug = $"{slug}-{Slug(fold.Fold)}";
                md.AppendLine($"### {model.Name}, fold {fold.Fold}: accuracy {MarkdownTables.Percent(fold.Accuracy)} %, UAR {MarkdownTables.Percent(fold.Uar)} %").AppendLine();
                Text($"confusion/{fslug}.csv", ConfusionCsv(fold.Confusion));
                Picture($"confusion/{fslug}.png", ConfusionPlot.Render(fold.Confusion, $"{model.Name}, fold {fold.Fold}"));
                md.AppendLine($"- confusion: [png](confusion/{fslug}.png), [csv](confusion/{fslug}.csv)");
                if (fold.History is { Count: > 0 } history)
                {
                    Picture($"curves/{fslug}.png", TrainingCurves.Render(history, $"{model.Name}, fold {fold.Fold}"));
                    md.AppendLine($"- training curves: [png](curves/{fslug}.png)");
                }
                if (fold.Features is { } features && fold.FeatureClasses is { } classes)
                {
                    var embedded = Tsne.Embed(features, tsne);
                    Picture($"tsne/{fslug}.png", ScatterPlot.Render(embedded, classes, outcome.Labels, $"t-SNE, {model.Name}, fold {fold.Fold}"));
                    Text($"tsne/{fslug}.csv", TsneCsv(embedded, classes, outcome.Labels));
                    md.AppendLine($"- t-SNE of the features: [png](tsne/{fslug}.png), [csv](tsne/{fslug}.csv)");
                }
                md.AppendLine();
            }
        }
        Text("report.md", md.ToString());
        return files;
    }

    /// <summary>model,fold,examples,accuracy,uar — one line per fold.</summary>
    public static string MetricsCsv(ExperimentOutcome outcome)
    {
        var sb = new StringBuilder().AppendLine("model,fold,examples,accuracy,uar");
        foreach (var m in outcome.Models)
            foreach (var f in m.Folds)
                sb.AppendLine(Csv.Line([m.Name, f.Fold, f.Confusion.Total.ToString(CultureInfo.InvariantCulture), Num(f.Accuracy), Num(f.Uar)]));
        return sb.ToString();
    }

    /// <summary>model,fold,class,precision,recall,f1,support — one line per class and fold.</summary>
    public static string PerClassCsv(ExperimentOutcome outcome)
    {
        var sb = new StringBuilder().AppendLine("model,fold,class,precision,recall,f1,support");
        foreach (var m in outcome.Models)
            foreach (var f in m.Folds)
                foreach (var c in ClassMetrics.Of(f.Confusion))
                    sb.AppendLine(Csv.Line([m.Name, f.Fold, c.Class, Num(c.Precision), Num(c.Recall), Num(c.F1), c.Support.ToString(CultureInfo.InvariantCulture)]));
        return sb.ToString();
    }

    /// <summary>x,y,class — one line per embedded example, in the order of the features.</summary>
    public static string TsneCsv(double[,] points, IReadOnlyList<int> classes, Aver.Data.Labels.LabelSpace labels)
    {
        var sb = new StringBuilder().AppendLine("x,y,class");
        for (int i = 0; i < points.GetLength(0); i++)
            sb.AppendLine(Csv.Line([Num(points[i, 0]), Num(points[i, 1]), labels.Names[classes[i]]]));
        return sb.ToString();
    }

    /// <summary>The matrix with a header row of predicted classes and a first column of true classes.</summary>
    public static string ConfusionCsv(ConfusionMatrix m) => m.ToCsv();

    /// <summary>A file-name-safe form of a model or fold name ("AM (T)" → "am-t", "A1,2" → "a1-2").</summary>
    public static string Slug(string name)
    {
        var sb = new StringBuilder();
        foreach (char ch in name.ToLowerInvariant())
            if (char.IsAsciiLetterOrDigit(ch)) sb.Append(ch);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        return sb.ToString().Trim('-') is { Length: > 0 } s ? s : "x";
    }

    private static string Num(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
