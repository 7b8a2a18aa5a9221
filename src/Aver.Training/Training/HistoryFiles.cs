using System.Globalization;
using System.Text;
using Aver.Data.Io;
using Aver.Tensors.IO;

namespace Aver.Training.Training;

/// <summary>
/// Per-epoch history as files a researcher reads back with any tool: <c>history.csv</c> and <c>history.jsonl</c>
/// (one JSON object per epoch). The trainer rewrites both beside its checkpoint after every epoch; the report
/// folder holds them for every model and fold, with those two columns in front.
/// </summary>
public static class HistoryFiles
{
    public const string CsvFile = "history.csv", JsonLinesFile = "history.jsonl";

    /// <summary>The epoch columns, in order.</summary>
    public static readonly string[] Columns = ["epoch", "train_loss", "train_accuracy", "validation_loss", "validation_accuracy", "learning_rate", "seconds"];

    /// <summary>Writes both files of one run's history into <paramref name="folder"/> (atomically).</summary>
    public static void Write(string folder, IReadOnlyList<EpochMetrics> history) => Write(folder, history.Select(m => ((string[])[], m)), []);

    /// <summary>Writes both files, each epoch preceded by its <paramref name="keyColumns"/> values (e.g. model and fold).</summary>
    public static void Write(string folder, IEnumerable<(string[] Keys, EpochMetrics Epoch)> rows, string[] keyColumns)
    {
        var csv = new StringBuilder().AppendLine(Csv.Line([.. keyColumns, .. Columns]));
        var jsonl = new StringBuilder();
        foreach (var (keys, m) in rows)
        {
            var values = Values(m);
            csv.AppendLine(Csv.Line([.. keys, .. values.Select(v => v ?? "")]));
            jsonl.Append('{');
            for (int i = 0; i < keyColumns.Length; i++) jsonl.Append('"').Append(keyColumns[i]).Append("\":").Append(System.Text.Json.JsonSerializer.Serialize(keys[i])).Append(',');
            for (int i = 0; i < Columns.Length; i++) jsonl.Append(i > 0 ? "," : "").Append('"').Append(Columns[i]).Append("\":").Append(values[i] ?? "null");
            jsonl.Append("}\n");
        }
        AtomicFile.WriteAllText(Path.Combine(folder, CsvFile), csv.ToString());
        AtomicFile.WriteAllText(Path.Combine(folder, JsonLinesFile), jsonl.ToString());
    }

    /// <summary>The epoch's numbers as invariant text; null for a missing (no validation) or non-finite value.</summary>
    private static string?[] Values(EpochMetrics m) =>
        [m.Epoch.ToString(CultureInfo.InvariantCulture), Num(m.TrainLoss), Num(m.TrainAccuracy), Num(m.ValidationLoss), Num(m.ValidationAccuracy), Num(m.LearningRate), Num(m.Seconds)];

    private static string? Num(double? v) => v is double d && double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : null;
}
