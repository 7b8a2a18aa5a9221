namespace Aver.Data.Catalogs;

/// <summary>What a catalog holds, counted: what `aver datasets` prints.</summary>
public sealed record CatalogSummary(
    string Dataset,
    string Root,
    string LabelSpace,
    int Items,
    int Recordings,
    int PairedWithVideo,
    IReadOnlyList<KeyValuePair<string, int>> Labels,
    IReadOnlyList<KeyValuePair<string, int>> Speakers,
    IReadOnlyList<KeyValuePair<string, int>> Sexes,
    IReadOnlyList<KeyValuePair<string, int>> Modalities,
    IReadOnlyList<SkippedFile> Skipped)
{
    /// <summary>Counts <paramref name="catalog"/>; labels in space order (zeros included), speakers in natural order.</summary>
    public static CatalogSummary Of(Catalog catalog)
    {
        var items = catalog.Items;
        var labelCounts = new int[catalog.Labels.Count];
        foreach (var i in items) labelCounts[i.Label.Index]++;
        var labels = catalog.Labels.Names.Select((n, k) => KeyValuePair.Create(n, labelCounts[k])).ToArray();
        var speakers = Count(items.Where(i => i.Speaker is not null).Select(i => i.Speaker!), NaturalComparer.Instance);
        var sexes = Count(items.Select(i => i.Sex?.ToString().ToLowerInvariant() ?? "unknown"), StringComparer.Ordinal);
        var modalities = Count(items.Select(i => ModalityName(i.Modality)), StringComparer.Ordinal);
        return new CatalogSummary(catalog.Dataset, catalog.Root, catalog.Labels.Name, items.Count,
            items.Select(i => i.RecordingId).Distinct().Count(), items.Count(i => i.PairedVideo is not null),
            labels, speakers, sexes, modalities, catalog.Skipped);
    }

    /// <summary>"audio", "video", "audio-video" or "image".</summary>
    public static string ModalityName(Modality m) => m switch
    {
        Modality.Audio => "audio",
        Modality.Video => "video",
        Modality.AudioVideo => "audio-video",
        _ => "image",
    };

    private static KeyValuePair<string, int>[] Count(IEnumerable<string> keys, IComparer<string> order) =>
        keys.GroupBy(k => k).Select(g => KeyValuePair.Create(g.Key, g.Count())).OrderBy(p => p.Key, order).ToArray();
}
