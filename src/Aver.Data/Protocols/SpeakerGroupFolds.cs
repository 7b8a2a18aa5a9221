using Aver.Data.Catalogs;

namespace Aver.Data.Protocols;

/// <summary>A named group of speakers held out together (an actor pair, a CREMA-D split, one speaker).</summary>
public sealed record SpeakerGroup(string Name, IReadOnlyList<string> Speakers);

/// <summary>
/// Turns k speaker groups into k folds: fold i tests on group i, validates (early stopping) on
/// group i+1 (cyclically) and trains on the rest, so every speaker is tested exactly once and
/// validation speakers are disjoint from both test and training speakers.
/// </summary>
public static class SpeakerGroupFolds
{
    /// <summary>Builds and leak-checks the folds; needs at least 3 groups and a speaker on every item.</summary>
    public static SplitPlan Make(string protocol, Catalog catalog, ulong seed, IReadOnlyList<SpeakerGroup> groups, IReadOnlyList<string> notes)
    {
        if (groups.Count < 3)
            throw new DatasetException($"protocol {protocol} on {catalog.Root}: {groups.Count} speaker group(s); a test group, a validation group and training speakers need at least 3");
        var groupOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int g = 0; g < groups.Count; g++)
            foreach (var s in groups[g].Speakers)
                if (!groupOf.TryAdd(s, g)) throw new ArgumentException($"protocol {protocol}: speaker {s} is in groups {groups[groupOf[s]].Name} and {groups[g].Name}");
        var byGroup = Enumerable.Range(0, groups.Count).Select(_ => new List<CatalogItem>()).ToArray();
        foreach (var item in catalog.Items)
            byGroup[groupOf[item.Speaker!]].Add(item);
        var folds = new List<Fold>(groups.Count);
        for (int g = 0; g < groups.Count; g++)
        {
            int v = (g + 1) % groups.Count;
            var train = new List<CatalogItem>();
            for (int h = 0; h < groups.Count; h++) if (h != g && h != v) train.AddRange(byGroup[h]);
            train.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            var fold = new Fold(groups[g].Name, train, byGroup[v], byGroup[g], groups[v].Speakers, groups[g].Speakers);
            LeakCheck.Verify(fold, speakerIndependent: true);
            folds.Add(fold);
        }
        return new SplitPlan(protocol, catalog, seed, SpeakerDependent: false, folds, notes);
    }

    /// <summary>The catalog's speakers; throws naming the count of items without a speaker id.</summary>
    public static IReadOnlyList<string> RequireSpeakers(string protocol, Catalog catalog)
    {
        int missing = catalog.Items.Count(i => i.Speaker is null);
        if (missing > 0)
            throw new DatasetException($"protocol {protocol} is speaker-independent but {missing} of {catalog.Items.Count} items of {catalog.Root} have no speaker id (use --protocol random or predefined)");
        if (catalog.Items.Count == 0) throw new DatasetException($"protocol {protocol}: catalog {catalog.Root} has no items");
        return catalog.Speakers;
    }
}
