using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Metrics;
using Aver.Media;

namespace Aver.Inference.Scoring;

/// <summary>One labelled file as the model answered it (in the model's label space), or why it was not scored.</summary>
/// <param name="Truth">The data's class.</param>
/// <param name="Expected">That class in the model's space; null when the map leaves it out (the file is not scored).</param>
/// <param name="Predicted">The model's answer; null when it gave none.</param>
/// <param name="Refused">Why the model gave no answer (no speech, no stream, undecodable...), or null.</param>
/// <param name="Probabilities">The model's probability of each of its classes (its label order), when it answered: what
/// averaging several models' answers per file (an ensemble, late fusion) starts from.</param>
public sealed record ScoredFile(string Path, string Truth, string? Expected, string? Predicted, float Confidence, string? Refused,
    float[]? Probabilities = null);

/// <summary>What <see cref="Scorer.Run"/> measured.</summary>
/// <param name="Confusion">Truth against answer over the scored files, in the model's label space.</param>
/// <param name="Unmapped">Data classes the map leaves out, with how many files each has.</param>
/// <param name="MapDescription">How data classes were mapped (built-in map, by name, overrides).</param>
public sealed record ScoreResult(string Model, string Data, string DataSpace, ConfusionMatrix Confusion, IReadOnlyList<ScoredFile> Files,
    IReadOnlyDictionary<string, int> Unmapped, string MapDescription, IReadOnlyDictionary<string, string?> Mapping, double Seconds)
{
    public IEnumerable<ScoredFile> RefusedFiles => Files.Where(f => f.Expected is not null && f.Predicted is null);

    /// <summary>Macro-averaged F1 over the classes with examples.</summary>
    public double MacroF1
    {
        get
        {
            double sum = 0;
            int n = 0;
            for (int c = 0; c < Confusion.Classes; c++)
                if (!double.IsNaN(Confusion.F1(c))) { sum += Confusion.F1(c); n++; }
            return n == 0 ? double.NaN : sum / n;
        }
    }
}

/// <summary>
/// The accuracy of a model on a labelled corpus: every file goes through <see cref="IClipModel.Predict"/> (the code
/// path of <c>aver predict</c>), one at a time, so memory stays that of one clip however large the corpus. The data's
/// classes are mapped into the model's (<see cref="EmotionNames.Match"/>); files of unmapped classes are counted and
/// listed, never silently dropped. A file the model refuses (no speech, no face stream) is reported with the reason and
/// counted neither right nor wrong.
/// </summary>
public static class Scorer
{
    public static ScoreResult Run(IClipModel model, Catalog data, PredictionOptions options, IReadOnlyDictionary<string, string?>? overrides = null,
        int? limit = null, Action<int, int, string>? progress = null, CancellationToken cancel = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (map, how) = EmotionNames.Match(data.Labels, model.Labels, overrides);
        var mapping = data.Labels.Names.ToDictionary(n => n, n => map.TryMap(data.Labels[n], out var m) ? m.Name : null);
        // A limit takes evenly spaced files, so every class (catalogs list them class by class) is in the sample.
        int count = data.Items.Count;
        var items = limit is int n && n < count ? Enumerable.Range(0, n).Select(k => data.Items[(int)((long)k * count / n)]).ToList() : data.Items.ToList();
        var confusion = new ConfusionMatrix(model.Labels);
        var files = new List<ScoredFile>(items.Count);
        var unmapped = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var item = items[i];
            progress?.Invoke(i, items.Count, item.Path);
            if (!map.TryMap(item.Label, out var expected))
            {
                unmapped[item.Label.Name] = unmapped.GetValueOrDefault(item.Label.Name) + 1;
                files.Add(new ScoredFile(item.Path, item.Label.Name, null, null, 0, null));
                continue;
            }
            ClipPrediction p;
            try { p = model.Predict(item.Path, options); }
            catch (Exception e) when (InputErrors.IsInputProblem(e))
            {
                files.Add(new ScoredFile(item.Path, item.Label.Name, expected.Name, null, 0, e.Message));
                continue;
            }
            if (p.Probabilities is not { } answer)
            {
                files.Add(new ScoredFile(item.Path, item.Label.Name, expected.Name, null, 0, p.Problem ?? "no branch answered"));
                continue;
            }
            confusion.Add(expected.Index, answer.Top.Index);
            files.Add(new ScoredFile(item.Path, item.Label.Name, expected.Name, answer.Top.Name, answer.TopProbability, null, answer.Values));
        }
        progress?.Invoke(items.Count, items.Count, "");
        return new ScoreResult(model.Description, data.Root, data.Labels.Name, confusion, files, unmapped, how, mapping, clock.Elapsed.TotalSeconds);
    }
}
