using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aver.Data.Io;
using Aver.Data.Plots;
using Aver.Tensors.IO;

namespace Aver.Inference.Scoring;

/// <summary>
/// A score as files a person and a program read: report.md (accuracy, UAR, macro-F1, per-class recall, the map,
/// refused files), score.json (the same and every file's answer with its class probabilities), confusion.csv and confusion.png. Each file is written
/// atomically; the folder holds nothing else.
/// </summary>
public static class ScoreReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Writes the report into <paramref name="folder"/> (created if needed).</summary>
    public static void Write(ScoreResult r, string folder, string command)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), Markdown(r, command));
        AtomicFile.WriteAllText(Path.Combine(folder, "score.json"), Json(r).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        AtomicFile.WriteAllText(Path.Combine(folder, "confusion.csv"), r.Confusion.ToCsv());
        ConfusionPlot.Render(r.Confusion, $"{Path.GetFileName(r.Data.TrimEnd('/'))}: accuracy {Percent(r.Confusion.Accuracy)}").SavePng(Path.Combine(folder, "confusion.png"));
    }

    /// <summary>One line for the terminal: the headline figures.</summary>
    public static string Summary(ScoreResult r) => string.Create(C,
        $"{r.Confusion.Total} files scored: accuracy {Percent(r.Confusion.Accuracy)}, UAR {Percent(r.Confusion.UnweightedAverageRecall)}, macro-F1 {Percent(r.MacroF1)}" +
        $"; {r.RefusedFiles.Count()} refused, {r.Unmapped.Values.Sum()} of unmapped classes ({r.Seconds:F0} s)");

    public static JsonObject Json(ScoreResult r)
    {
        var m = r.Confusion;
        var perClass = new JsonObject();
        for (int c = 0; c < m.Classes; c++)
            if (m.Support(c) > 0) perClass[m.Labels.Names[c]] = new JsonObject { ["recall"] = m.Recall(c), ["f1"] = m.F1(c), ["support"] = m.Support(c) };
        var files = new JsonArray();
        foreach (var f in r.Files)
            files.Add(new JsonObject { ["file"] = f.Path, ["truth"] = f.Truth, ["expected"] = f.Expected, ["predicted"] = f.Predicted,
                ["confidence"] = f.Predicted is null ? null : Math.Round(f.Confidence, 4), ["refused"] = f.Refused,
                ["probabilities"] = f.Probabilities is null ? null : new JsonArray(f.Probabilities.Select(v => (JsonNode)Math.Round(v, 6)).ToArray()) });
        return new JsonObject
        {
            ["model"] = r.Model, ["data"] = r.Data, ["dataLabelSpace"] = r.DataSpace, ["modelLabels"] = new JsonArray(m.Labels.Names.Select(n => (JsonNode)n).ToArray()),
            ["map"] = r.MapDescription, ["mapping"] = new JsonObject(r.Mapping.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["scored"] = m.Total, ["accuracy"] = Finite(m.Accuracy), ["uar"] = Finite(m.UnweightedAverageRecall), ["macroF1"] = Finite(r.MacroF1),
            ["perClass"] = perClass, ["refused"] = r.RefusedFiles.Count(),
            ["unmapped"] = new JsonObject(r.Unmapped.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["seconds"] = Math.Round(r.Seconds, 1), ["files"] = files,
        };
    }

    private static string Markdown(ScoreResult r, string command)
    {
        var m = r.Confusion;
        var sb = new StringBuilder();
        sb.AppendLine(C, $"# Score of a model on {r.Data}\n");
        sb.AppendLine(C, $"Command: `{command}`\n\nModel: {r.Model}\n");
        sb.AppendLine(C, $"Data classes ({r.DataSpace}) into the model's: {r.MapDescription}.\n");
        sb.AppendLine("| data class | model class |\n|---|---|");
        foreach (var (from, to) in r.Mapping) sb.AppendLine(C, $"| {from} | {to ?? "— (not scored)"} |");
        sb.AppendLine();
        sb.AppendLine("| files scored | accuracy | UAR | macro-F1 | refused | of unmapped classes |\n|---:|---:|---:|---:|---:|---:|");
        sb.AppendLine(C, $"| {m.Total} | {Percent(m.Accuracy)} | {Percent(m.UnweightedAverageRecall)} | {Percent(r.MacroF1)} | {r.RefusedFiles.Count()} | {r.Unmapped.Values.Sum()} |\n");
        sb.AppendLine("| class | recall | F1 | files |\n|---|---:|---:|---:|");
        for (int c = 0; c < m.Classes; c++)
            if (m.Support(c) > 0) sb.AppendLine(C, $"| {m.Labels.Names[c]} | {Percent(m.Recall(c))} | {Percent(m.F1(c))} | {m.Support(c)} |");
        sb.AppendLine("\nConfusion matrix (rows: truth, columns: answer): `confusion.csv`, `confusion.png`.\n");
        var refused = r.RefusedFiles.ToList();
        if (refused.Count > 0)
        {
            sb.AppendLine(C, $"## Refused ({refused.Count})\n");
            foreach (var f in refused.Take(200)) sb.AppendLine(C, $"- `{f.Path}`: {f.Refused}");
            if (refused.Count > 200) sb.AppendLine(C, $"- ... and {refused.Count - 200} more (score.json lists all)");
        }
        return sb.ToString();
    }

    private static double? Finite(double v) => double.IsFinite(v) ? Math.Round(v, 4) : null;
    private static string Percent(double v) => double.IsFinite(v) ? (100 * v).ToString("F1", C) + " %" : "–";
}
