using Aver.Data.Catalogs;

namespace Aver.Data.Protocols;

/// <summary>
/// The split the corpus or manifest ships with (FER2013 train/validation/test usage, a manifest's
/// `split` column). Speaker-independent only when every item has a speaker and no speaker crosses
/// sides; otherwise marked speaker-dependent (FER2013 has no speaker ids).
/// </summary>
public sealed class PredefinedSplit : IProtocol
{
    public string Name => "predefined";

    public SplitPlan Make(Catalog catalog, ulong seed)
    {
        var parts = new[] { new List<CatalogItem>(), new List<CatalogItem>(), new List<CatalogItem>() };
        foreach (var item in catalog.Items)
        {
            var split = (item.Field("split") ?? item.Field("usage"))?.ToLowerInvariant();
            var part = split switch
            {
                "train" or "training" => SplitPart.Train,
                "validation" or "val" or "valid" or "dev" or "publictest" => SplitPart.Validation,
                "test" or "privatetest" => SplitPart.Test,
                _ => throw new DatasetException($"protocol {Name}: {item.Path} has split '{split ?? "(none)"}', expected train, validation or test"),
            };
            parts[(int)part].Add(item);
        }
        if (parts[(int)SplitPart.Test].Count == 0) throw new DatasetException($"protocol {Name}: no test items in {catalog.Root}");
        var fold = new Fold("predefined", parts[0], parts[1], parts[2],
            SpeakersOf(parts[(int)SplitPart.Validation]), SpeakersOf(parts[(int)SplitPart.Test]));
        bool independent = catalog.Items.All(i => i.Speaker is not null);
        if (independent)
        {
            try { LeakCheck.Verify(fold, speakerIndependent: true); }
            catch (SplitLeakException e) when (e.Recordings.Count == 0) { independent = false; }
        }
        LeakCheck.Verify(fold, speakerIndependent: independent);
        return new SplitPlan(Name, catalog, seed, SpeakerDependent: !independent, [fold],
            [independent ? "the corpus's own split; speakers disjoint" : "SPEAKER-DEPENDENT: the corpus's own split; speakers unknown or shared between sides"]);
    }

    private static string[] SpeakersOf(List<CatalogItem> items) =>
        items.Where(i => i.Speaker is not null).Select(i => i.Speaker!).Distinct().Order(NaturalComparer.Instance).ToArray();
}
