using Aver.Data.Labels;

namespace Aver.Data.Catalogs;

/// <summary>
/// The items of one corpus folder, in path order, with their label space and every file that was
/// skipped with its reason. Immutable; <see cref="Relabel"/> and <see cref="Where"/> return new catalogs.
/// </summary>
public sealed class Catalog
{
    public Catalog(string dataset, string root, LabelSpace labels, IEnumerable<CatalogItem> items, IEnumerable<SkippedFile> skipped)
    {
        Dataset = dataset;
        Root = root;
        Labels = labels;
        Items = items.OrderBy(i => i.Path, StringComparer.Ordinal).ToArray();
        foreach (var item in Items)
            if (!item.Label.Space.Equals(labels))
                throw new ArgumentException($"catalog {dataset}: item {item.Path} has a label of {item.Label.Space.Name}, not {labels.Name}");
        Skipped = skipped.OrderBy(s => s.Path, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Corpus name: ravdess, crema-d, fer2013, emo-db, manifest.</summary>
    public string Dataset { get; }

    /// <summary>The folder (or manifest file) the catalog was read from.</summary>
    public string Root { get; }

    public LabelSpace Labels { get; }

    /// <summary>Items sorted by path (ordinal), so everything built on them is deterministic.</summary>
    public IReadOnlyList<CatalogItem> Items { get; }

    /// <summary>Files not taken, with reasons, sorted by path.</summary>
    public IReadOnlyList<SkippedFile> Skipped { get; }

    /// <summary>Distinct speaker ids (unknown ones left out), in natural order (numeric where numeric).</summary>
    public IReadOnlyList<string> Speakers =>
        Items.Where(i => i.Speaker is not null).Select(i => i.Speaker!).Distinct().Order(NaturalComparer.Instance).ToArray();

    /// <summary>The items whose speaker is <paramref name="speaker"/>.</summary>
    public IEnumerable<CatalogItem> ItemsOf(string speaker) => Items.Where(i => i.Speaker == speaker);

    /// <summary>Keeps the items <paramref name="keep"/> accepts (e.g. RAVDESS speech only); skipped files stay.</summary>
    public Catalog Where(Func<CatalogItem, bool> keep) => new(Dataset, Root, Labels, Items.Where(keep), Skipped);

    /// <summary>
    /// The speech takes (MRPN §5.1 and AVEF both use speech only): RAVDESS's song takes dropped,
    /// items of catalogs without a vocal channel kept.
    /// </summary>
    public Catalog Speech() => Where(i => i.Field("vocal_channel") is null or "speech");

    /// <summary>
    /// The catalog in <paramref name="map"/>'s target space. Items whose label has no counterpart
    /// are dropped and reported in <see cref="Skipped"/> with the map's name.
    /// </summary>
    public Catalog Relabel(LabelMap map)
    {
        if (!map.From.Equals(Labels)) throw new ArgumentException($"catalog {Dataset} is in {Labels.Name}; map {map.Name} starts from {map.From.Name}", nameof(map));
        var kept = new List<CatalogItem>(Items.Count);
        var dropped = new List<SkippedFile>(Skipped);
        foreach (var item in Items)
        {
            if (map.TryMap(item.Label, out var m)) kept.Add(item with { Label = m });
            else dropped.Add(new SkippedFile(item.Path, $"label '{item.Label.Name}' has no counterpart in {map.To.Name} (map {map.Name})"));
        }
        return new Catalog(Dataset, Root, map.To, kept, dropped);
    }

    /// <summary>Counts per label, speaker, sex and modality.</summary>
    public CatalogSummary Summarize() => CatalogSummary.Of(this);
}
