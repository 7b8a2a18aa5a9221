using Aver.Data.Catalogs;
using Aver.Tensors;

namespace Aver.Data.Protocols;

/// <summary>
/// k folds by speaker, balanced by number of items: speakers (shuffled by the seed, then largest
/// first) go to the fold with the fewest items so far. Validation = the next fold.
/// </summary>
public sealed class SpeakerKFold(int folds) : IProtocol
{
    public string Name => "speaker-kfold";

    public int Folds => folds;

    public SplitPlan Make(Catalog catalog, ulong seed)
    {
        var speakers = SpeakerGroupFolds.RequireSpeakers(Name, catalog).ToArray();
        if (folds > speakers.Length) throw new DatasetException($"protocol {Name}: {folds} folds but {catalog.Root} has only {speakers.Length} speakers");
        var count = catalog.Items.GroupBy(i => i.Speaker!).ToDictionary(g => g.Key, g => g.Count());
        new RandomStream(seed).Fork("protocol/" + Name).Shuffle<string>(speakers);
        var order = speakers.Select((s, k) => (s, k)).OrderByDescending(p => count[p.s]).ThenBy(p => p.k).Select(p => p.s);
        var members = Enumerable.Range(0, folds).Select(_ => new List<string>()).ToArray();
        var load = new int[folds];
        foreach (var s in order)
        {
            int best = 0;
            for (int f = 1; f < folds; f++) if (load[f] < load[best]) best = f;
            members[best].Add(s);
            load[best] += count[s];
        }
        var groups = members.Select((m, f) => new SpeakerGroup($"F{f + 1}", m.Order(NaturalComparer.Instance).ToArray())).ToArray();
        return SpeakerGroupFolds.Make(Name, catalog, seed, groups, [$"{folds} folds by speaker, balanced by item count; validation = the next fold"]);
    }
}
