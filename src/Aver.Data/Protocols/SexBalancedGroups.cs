using Aver.Data.Catalogs;
using Aver.Tensors;

namespace Aver.Data.Protocols;

/// <summary>
/// Leave-one-speaker-group-out with k groups balanced by sex: speakers are shuffled (seeded) within
/// each sex and dealt round-robin, males then females then unknown, continuing the count, so group
/// sizes differ by at most one and so do their numbers of each sex. This is both AVEF's LOSGO and,
/// with k = 9 ("crema-d"), MRPN's 9 CREMA-D splits each holding out ~10% of the 91 actors balanced
/// by sex (Table 3). Without sex information (no VideoDemographics.csv) the groups are balanced by
/// count only, and the plan's notes say so.
/// </summary>
public sealed class SexBalancedGroups(string name, int groups, string foldPrefix) : IProtocol
{
    /// <summary>MRPN's CREMA-D protocol: 9 splits S1..S9.</summary>
    public static SexBalancedGroups CremaD() => new("crema-d", 9, "S");

    /// <summary>AVEF's leave-one-speaker-group-out with <paramref name="k"/> groups G1..Gk.</summary>
    public static SexBalancedGroups Losgo(int k) => new("losgo", k, "G");

    public string Name => name;

    public int Groups => groups;

    public SplitPlan Make(Catalog catalog, ulong seed)
    {
        var speakers = SpeakerGroupFolds.RequireSpeakers(Name, catalog);
        if (groups > speakers.Count) throw new DatasetException($"protocol {Name}: {groups} groups but {catalog.Root} has only {speakers.Count} speakers");
        var sexOf = new Dictionary<string, Sex?>(StringComparer.Ordinal);
        foreach (var i in catalog.Items) sexOf.TryAdd(i.Speaker!, i.Sex);
        var rng = new RandomStream(seed).Fork("protocol/" + Name);
        var dealt = Enumerable.Range(0, groups).Select(_ => new List<string>()).ToArray();
        int next = 0;
        foreach (Sex? sex in new Sex?[] { Sex.Male, Sex.Female, null })
        {
            var these = speakers.Where(s => sexOf[s] == sex).ToArray();
            rng.Shuffle<string>(these);
            foreach (var s in these) dealt[next++ % groups].Add(s);
        }
        var result = dealt.Select((g, k) => new SpeakerGroup($"{foldPrefix}{k + 1}", g.Order(NaturalComparer.Instance).ToArray())).ToArray();
        int unknown = speakers.Count(s => sexOf[s] is null);
        var notes = new List<string> { $"{groups} speaker groups of {speakers.Count} speakers; test = one group, validation = the next group" };
        if (unknown == speakers.Count) notes.Add("sex unknown for every speaker (for CREMA-D: no VideoDemographics.csv): groups balanced by count only");
        else if (unknown > 0) notes.Add($"sex unknown for {unknown} speakers: dealt after the others");
        return SpeakerGroupFolds.Make(Name, catalog, seed, result, notes);
    }
}
