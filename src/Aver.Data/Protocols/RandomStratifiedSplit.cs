using Aver.Data.Catalogs;
using Aver.Tensors;

namespace Aver.Data.Protocols;

/// <summary>
/// A random split stratified by label, over recordings (twins stay together), with speakers on
/// both sides: <see cref="SplitPlan.SpeakerDependent"/> is true and every report must say so.
/// Such splits inflate accuracy by tens of points; offered only for comparison with papers that used one.
/// </summary>
public sealed class RandomStratifiedSplit(double testFraction = 0.2, double validationFraction = 0.1) : IProtocol
{
    public string Name => "random";

    public SplitPlan Make(Catalog catalog, ulong seed)
    {
        if (testFraction <= 0 || validationFraction < 0 || testFraction + validationFraction >= 1)
            throw new ArgumentException($"protocol {Name}: test fraction {testFraction} and validation fraction {validationFraction} must be positive and sum below 1");
        var rng = new RandomStream(seed).Fork("protocol/" + Name);
        var recordings = catalog.Items.GroupBy(i => i.RecordingId).ToArray(); // in path order of first item
        var train = new List<CatalogItem>();
        var validation = new List<CatalogItem>();
        var test = new List<CatalogItem>();
        foreach (var byLabel in recordings.GroupBy(r => r.First().Label.Index).OrderBy(g => g.Key))
        {
            var recs = byLabel.ToArray();
            rng.Shuffle<IGrouping<string, CatalogItem>>(recs);
            int nTest = (int)Math.Round(recs.Length * testFraction), nVal = (int)Math.Round(recs.Length * validationFraction);
            for (int r = 0; r < recs.Length; r++)
                (r < nTest ? test : r < nTest + nVal ? validation : train).AddRange(recs[r]);
        }
        foreach (var l in new[] { train, validation, test }) l.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var fold = new Fold("random", train, validation, test, [], []);
        LeakCheck.Verify(fold, speakerIndependent: false);
        return new SplitPlan(Name, catalog, seed, SpeakerDependent: true, [fold],
            [$"SPEAKER-DEPENDENT: random split stratified by label over recordings (test {testFraction:P0}, validation {validationFraction:P0}); speakers appear on both sides"]);
    }
}
