using System.Globalization;

using Aver.Data.Catalogs;

namespace Aver.Data.Protocols;

/// <summary>
/// MRPN's RAVDESS protocol (Tables 1-2): 12 folds A1,2 ... A23,24, each holding out one male-female
/// actor pair. Only pairs with an actor present become folds (the shared data's actors 01-16 give
/// 8). MRPN calls the held-out pair "validation" and reports on it; here it is the test side, and
/// early stopping uses the next pair as validation so the reported pair is never looked at while
/// training. Deterministic: the seed does not enter.
/// </summary>
public sealed class RavdessActorPairs : IProtocol
{
    public string Name => "ravdess-pairs";

    public SplitPlan Make(Catalog catalog, ulong seed)
    {
        var speakers = SpeakerGroupFolds.RequireSpeakers(Name, catalog);
        var byPair = new SortedDictionary<int, List<string>>();
        foreach (var s in speakers)
        {
            if (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int actor) || actor < 1)
                throw new DatasetException($"protocol {Name}: speaker '{s}' of {catalog.Root} is not a RAVDESS actor number");
            int pair = (actor + 1) / 2;
            if (!byPair.TryGetValue(pair, out var list)) byPair[pair] = list = [];
            list.Add(s);
        }
        var groups = byPair.Select(p => new SpeakerGroup($"A{2 * p.Key - 1},{2 * p.Key}", p.Value)).ToArray();
        var notes = new List<string> { $"{groups.Length} actor-pair folds (of RAVDESS's 12); validation speakers are the next pair" };
        notes.AddRange(byPair.Where(p => p.Value.Count == 1).Select(p => $"pair A{2 * p.Key - 1},{2 * p.Key} has only actor {p.Value[0]}"));
        return SpeakerGroupFolds.Make(Name, catalog, seed, groups, notes);
    }
}
