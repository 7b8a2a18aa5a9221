using System.Text;
using System.Text.Json;
using Aver.Data.Catalogs;
using Aver.Data.Io;
using Aver.Tensors.IO;

namespace Aver.Data.Protocols;

/// <summary>
/// Writes a <see cref="SplitPlan"/> as files a run folder keeps: `fold-NN.csv` per fold (columns
/// path,label,speaker,sex,recording,split,fold — readable back by <see cref="ManifestCatalog"/>, whose
/// `predefined` protocol reproduces the fold) and `summary.json` (protocol, seed, speaker
/// dependence, label space, per-fold speakers and counts, skipped files). Every file is written
/// atomically; the content depends only on the catalog, protocol and seed, so two runs give
/// byte-identical files.
/// </summary>
public static class SplitManifest
{
    public const string SummaryFile = "summary.json";

    /// <summary>The manifest file name of fold <paramref name="index"/> (0-based): fold-01.csv ...</summary>
    public static string FoldFile(int index) => $"fold-{index + 1:00}.csv";

    /// <summary>Writes the fold CSVs and the summary into <paramref name="outDir"/>; returns the paths written.</summary>
    public static IReadOnlyList<string> Write(SplitPlan plan, string outDir)
    {
        LeakCheck.Verify(plan);
        Directory.CreateDirectory(outDir);
        var written = new List<string>();
        for (int f = 0; f < plan.Folds.Count; f++)
        {
            var path = Path.Combine(outDir, FoldFile(f));
            AtomicFile.WriteAllBytes(path, FoldCsv(plan.Folds[f]));
            written.Add(path);
        }
        var summary = Path.Combine(outDir, SummaryFile);
        AtomicFile.WriteAllBytes(summary, SummaryJson(plan));
        written.Add(summary);
        return written;
    }

    /// <summary>The CSV of one fold (UTF-8, LF line ends): train, validation, test rows, each in path order.</summary>
    public static byte[] FoldCsv(Fold fold)
    {
        var sb = new StringBuilder();
        sb.Append("path,label,speaker,sex,recording,split,fold\n");
        foreach (var part in new[] { SplitPart.Train, SplitPart.Validation, SplitPart.Test })
        {
            var name = PartName(part);
            foreach (var i in fold.Items(part))
                sb.Append(Csv.Line([i.Path, i.Label.Name, i.Speaker ?? "", SexName(i.Sex), i.RecordingId, name, fold.Name])).Append('\n');
        }
        return new UTF8Encoding(false).GetBytes(sb.ToString());
    }

    /// <summary>"train", "validation" or "test".</summary>
    public static string PartName(SplitPart part) => part.ToString().ToLowerInvariant();

    private static string SexName(Sex? sex) => sex?.ToString().ToLowerInvariant() ?? "";

    /// <summary>The summary JSON (indented, fixed key order).</summary>
    public static byte[] SummaryJson(SplitPlan plan)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var c = plan.Catalog;
            w.WriteStartObject();
            w.WriteString("protocol", plan.Protocol);
            w.WriteString("dataset", c.Dataset);
            w.WriteString("root", c.Root);
            w.WriteNumber("seed", plan.Seed);
            w.WriteBoolean("speakerDependent", plan.SpeakerDependent);
            w.WriteString("labelSpace", c.Labels.Name);
            WriteStrings(w, "labels", c.Labels.Names);
            w.WriteNumber("items", c.Items.Count);
            w.WriteNumber("speakers", c.Speakers.Count);
            WriteStrings(w, "notes", plan.Notes);
            w.WriteStartArray("folds");
            for (int f = 0; f < plan.Folds.Count; f++)
            {
                var fold = plan.Folds[f];
                w.WriteStartObject();
                w.WriteString("name", fold.Name);
                w.WriteString("manifest", FoldFile(f));
                foreach (var part in new[] { SplitPart.Train, SplitPart.Validation, SplitPart.Test })
                    w.WriteNumber(PartName(part), fold.Items(part).Count);
                WriteStrings(w, "validationSpeakers", fold.ValidationSpeakers);
                WriteStrings(w, "testSpeakers", fold.TestSpeakers);
                w.WriteStartObject("testLabels");
                var counts = new int[c.Labels.Count];
                foreach (var i in fold.Test) counts[i.Label.Index]++;
                for (int l = 0; l < counts.Length; l++) w.WriteNumber(c.Labels.Names[l], counts[l]);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("skipped");
            foreach (var s in c.Skipped)
            {
                w.WriteStartObject();
                w.WriteString("path", s.Path);
                w.WriteString("reason", s.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        ms.WriteByte((byte)'\n');
        return ms.ToArray();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
