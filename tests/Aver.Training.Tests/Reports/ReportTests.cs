using System.Buffers.Binary;
using System.Text.RegularExpressions;
using Aver.Data.Labels;
using Aver.Tensors;
using Aver.Training.Embedding;
using Aver.Data.Metrics;
using Aver.Training.Reports;
using Aver.Training.Training;

namespace Aver.Training.Tests.Reports;

public sealed class ReportTests : IDisposable
{
    private static readonly LabelSpace Ravdess = new("ravdess8", ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"]);
    private readonly string _dir = Environment.GetEnvironmentVariable("AVER_KEEP_REPORT") ?? Path.Combine(Path.GetTempPath(), "aver-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("AVER_KEEP_REPORT") is null && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Gaussian clusters, one per class, [n, d], with their classes.</summary>
    internal static (float[,] X, int[] Classes) Clusters(int perClass, int classes, int d, ulong seed, float spread = 0.3f)
    {
        var rng = new RandomStream(seed);
        var centres = new float[classes, d];
        for (int c = 0; c < classes; c++) for (int k = 0; k < d; k++) centres[c, k] = (float)rng.NextNormal() * 2;
        var x = new float[perClass * classes, d];
        var y = new int[perClass * classes];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = i % classes;
            for (int k = 0; k < d; k++) x[i, k] = centres[y[i], k] + spread * (float)rng.NextNormal();
        }
        return (x, y);
    }

    private static FoldOutcome Fold(string name, ulong seed, bool features)
    {
        var rng = new RandomStream(seed);
        var truth = new int[160];
        var pred = new int[160];
        for (int i = 0; i < truth.Length; i++)
        {
            truth[i] = i % 8;
            pred[i] = rng.NextDouble() < 0.7 ? truth[i] : rng.NextInt(8);
        }
        var history = Enumerable.Range(1, 30).Select(e => new EpochMetrics(e, 2.0 / Math.Sqrt(e), 1 - 0.8 / Math.Sqrt(e),
            2.2 / Math.Sqrt(e) + 0.01 * e, 0.9 - 0.8 / Math.Sqrt(e), e <= 20 ? 5e-5 : 2.5e-5, 1.0)).ToList();
        var (x, y) = features ? Clusters(20, 8, 16, seed) : (null, null);
        return new FoldOutcome(name, ConfusionMatrix.From(Ravdess, truth, pred), history, x, y);
    }

    [Fact]
    public void ReportFolderHasTablesCsvsAndDecodablePngsLinkedFromReportMd()
    {
        var outcome = new ExperimentOutcome("RAVDESS audio-only", Ravdess,
        [
            new ModelOutcome("AM (NT)", [Fold("A1,2", 1, features: true), Fold("A3,4", 2, features: false)]),
            new ModelOutcome("AM (T)", [Fold("A1,2", 3, features: false), Fold("A3,4", 4, features: false)]),
        ], ["protocol ravdess-actor-pairs, seed 7"]);
        var files = ReportWriter.Write(_dir, outcome, new TsneOptions { Iterations = 300, Perplexity = 20, Seed = 1 });

        foreach (var f in new[] { "report.md", "tables.md", "metrics.csv", "per_class.csv", "confusion/am-nt-a1-2.png", "confusion/am-nt-all.csv",
                     "confusion/am-t-all.png", "curves/am-t-a3-4.png", "tsne/am-nt-a1-2.png" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), $"{f} missing; wrote {string.Join(", ", files)}");
        Assert.False(File.Exists(Path.Combine(_dir, "tsne/am-t-a1-2.png")));

        foreach (var png in files.Where(f => f.EndsWith(".png")))
        {
            var (w, h) = PngSize(Path.Combine(_dir, png));
            Assert.True(w >= 300 && h >= 300, $"{png} is {w}x{h}");
        }

        // Every relative link in report.md resolves.
        var report = File.ReadAllText(Path.Combine(_dir, "report.md"));
        var links = Regex.Matches(report, @"\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.True(links.Count >= 10);
        foreach (var link in links) Assert.True(File.Exists(Path.Combine(_dir, link)), $"report.md links {link}, which is missing");

        // The tables: folds as columns, a Mean column, one row per model.
        var tables = File.ReadAllText(Path.Combine(_dir, "tables.md"));
        Assert.Contains("| Model | A1,2 | A3,4 | Mean |", tables);
        Assert.Contains("| AM (T) |", tables);
        var csv = File.ReadAllLines(Path.Combine(_dir, "metrics.csv"));
        Assert.Equal("model,fold,examples,accuracy,uar", csv[0]);
        Assert.Equal(5, csv.Length);
        Assert.StartsWith("\"A1,2\"", csv[1].Split(',', 2)[1]);
        // What researchers reuse: every epoch of every fold, the t-SNE coordinates, the version that wrote it.
        var history = File.ReadAllLines(Path.Combine(_dir, "history.csv"));
        Assert.Equal("model,fold,epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate,seconds", history[0]);
        Assert.Equal(1 + 4 * 30, history.Length);
        Assert.StartsWith("AM (NT),\"A1,2\",1,2,", history[1]);
        Assert.Equal(4 * 30, File.ReadAllLines(Path.Combine(_dir, "history.jsonl")).Length);
        var tsne = File.ReadAllLines(Path.Combine(_dir, "tsne/am-nt-a1-2.csv"));
        Assert.Equal("x,y,class", tsne[0]);
        Assert.Equal(1 + 160, tsne.Length);
        Assert.EndsWith(",neutral", tsne[1]);
        Assert.Matches(@"Written by Aver \d+\.\d+\.\d+\S*, commit ([0-9a-f]{7,12}|unknown)\.", report);
        var confusion = File.ReadAllLines(Path.Combine(_dir, "confusion/am-nt-all.csv"));
        Assert.Equal(9, confusion.Length);
        Assert.Equal(320, confusion.Skip(1).Sum(l => l.Split(',').Skip(1).Sum(int.Parse)));
    }

    [Fact]
    public void The_validation_accuracy_at_each_folds_kept_epoch_is_tabled_for_choosing_between_rows()
    {
        var m = ConfusionMatrix.From(Ravdess, [0, 1, 2, 3], [0, 1, 2, 0]);
        EpochMetrics Epoch(int e, double acc) => new(e, 1, 0.5, 1, acc, 1e-3, 1);
        var withValidation = new ModelOutcome("kept", [
            new FoldOutcome("A1,2", m, [Epoch(1, 0.30), Epoch(2, 0.55), Epoch(3, 0.50)], BestEpoch: 2),
            new FoldOutcome("A3,4", m, [Epoch(1, 0.40), Epoch(2, 0.45)], BestEpoch: 1)]);
        var without = new ModelOutcome("svm", [new FoldOutcome("A1,2", m), new FoldOutcome("A3,4", m)]);
        ReportWriter.Write(_dir, new ExperimentOutcome("rows", Ravdess, [withValidation, without]));
        var report = File.ReadAllText(Path.Combine(_dir, "report.md"));
        var section = report[report.IndexOf("## Validation accuracy (%) per fold at the kept epoch", StringComparison.Ordinal)..];
        Assert.Contains("| kept | 55.0 | 40.0 | 47.5 ± 10.6 |", section);
        var last = section[section.IndexOf("At the last epoch trained", StringComparison.Ordinal)..];
        Assert.Contains("| kept | 50.0 | 45.0 | 47.5 ± 3.5 |", last);
        Assert.DoesNotContain("| svm |", section.Split("\n## ")[0]);
    }

    [Fact]
    public void TableRowsCarryMeanAndStdOverFolds()
    {
        // Rows (truth): neutral [3 1 0], happy [0 2 2], sad [1 0 1]: accuracy 0.6.
        var m = ConfusionMatrix.From(new LabelSpace("three", ["neutral", "happy", "sad"]), [0, 0, 0, 0, 1, 1, 1, 1, 2, 2], [0, 0, 0, 1, 1, 1, 2, 2, 0, 2]);
        var model = new ModelOutcome("JM", [new FoldOutcome("A1,2", m), new FoldOutcome("A3,4", ConfusionMatrix.Sum([m, m]))]);
        var table = MarkdownTables.Table([model], f => f.Accuracy);
        Assert.Contains("| JM | 60.0 | 60.0 | 60.0 ± 0.0 |", table);
    }

    /// <summary>Checks the PNG signature and reads the IHDR width and height.</summary>
    internal static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), $"{path} lacks the PNG signature");
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
