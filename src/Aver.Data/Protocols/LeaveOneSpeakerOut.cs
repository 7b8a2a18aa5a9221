using Aver.Data.Catalogs;

namespace Aver.Data.Protocols;

/// <summary>AVEF's LOSO (for corpora with few speakers, e.g. RML's 8): one fold per speaker; validation on the next speaker.</summary>
public sealed class LeaveOneSpeakerOut : IProtocol
{
    public string Name => "loso";

    public SplitPlan Make(Catalog catalog, ulong seed)
    {
        var speakers = SpeakerGroupFolds.RequireSpeakers(Name, catalog);
        var groups = speakers.Select(s => new SpeakerGroup(s, [s])).ToArray();
        return SpeakerGroupFolds.Make(Name, catalog, seed, groups, [$"{speakers.Count} folds, one per speaker; validation = the next speaker"]);
    }
}
