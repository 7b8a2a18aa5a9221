using Aver.Data.Catalogs;

namespace Aver.Data.Protocols;

/// <summary>A speaker or a recording sits on two sides of a fold.</summary>
public sealed class SplitLeakException(string fold, IReadOnlyList<string> speakers, IReadOnlyList<string> recordings)
    : DatasetException($"fold {fold} leaks: {Describe("speaker", speakers)}{(speakers.Count > 0 && recordings.Count > 0 ? "; " : "")}{Describe("recording", recordings)}")
{
    public string Fold { get; } = fold;
    public IReadOnlyList<string> Speakers { get; } = speakers;
    public IReadOnlyList<string> Recordings { get; } = recordings;

    private static string Describe(string what, IReadOnlyList<string> ids) => ids.Count == 0 ? ""
        : $"{ids.Count} {what}{(ids.Count == 1 ? "" : "s")} on both sides ({string.Join(", ", ids.Take(10))}{(ids.Count > 10 ? ", ..." : "")})";
}

/// <summary>
/// Verifies a fold: no recording (RAVDESS `01-`/`03-` twins share one) on two sides, and, for a
/// speaker-independent plan, no speaker on two sides. Run on every fold a protocol makes.
/// </summary>
public static class LeakCheck
{
    /// <summary>Throws <see cref="SplitLeakException"/> naming the offending speaker and recording ids.</summary>
    public static void Verify(Fold fold, bool speakerIndependent)
    {
        var speakers = new SortedSet<string>(NaturalComparer.Instance);
        var recordings = new SortedSet<string>(StringComparer.Ordinal);
        var parts = new[] { fold.Train, fold.Validation, fold.Test };
        for (int a = 0; a < parts.Length; a++)
            for (int b = a + 1; b < parts.Length; b++)
            {
                if (speakerIndependent) speakers.UnionWith(Shared(parts[a], parts[b], i => i.Speaker));
                recordings.UnionWith(Shared(parts[a], parts[b], i => i.RecordingId));
            }
        if (speakers.Count > 0 || recordings.Count > 0) throw new SplitLeakException(fold.Name, speakers.ToArray(), recordings.ToArray());
    }

    /// <summary>Verifies every fold of <paramref name="plan"/>.</summary>
    public static void Verify(SplitPlan plan)
    {
        foreach (var f in plan.Folds) Verify(f, !plan.SpeakerDependent);
    }

    private static IEnumerable<string> Shared(IReadOnlyList<CatalogItem> x, IReadOnlyList<CatalogItem> y, Func<CatalogItem, string?> key)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in x) if (key(i) is { } k) seen.Add(k);
        foreach (var i in y) if (key(i) is { } k && seen.Contains(k)) yield return k;
    }
}
