namespace Aver.Data.Protocols;

/// <summary>The protocols by name, as `aver splits --protocol` and experiment files give them.</summary>
public static class ProtocolRegistry
{
    /// <summary>Protocol names with a one-line description.</summary>
    public static IReadOnlyList<(string Name, string Description)> Known { get; } =
    [
        ("ravdess-pairs", "RAVDESS actor-pair folds A1,2 ... A23,24 (MRPN Tables 1-2)"),
        ("crema-d", "9 speaker-independent CREMA-D splits, ~10% of actors each, balanced by sex (MRPN Table 3)"),
        ("loso", "leave one speaker out (AVEF)"),
        ("losgo", "leave one speaker group out, --groups k, balanced by sex (AVEF)"),
        ("speaker-kfold", "k folds by speaker, --folds k, balanced by item count"),
        ("random", "random split stratified by label: SPEAKER-DEPENDENT"),
        ("predefined", "the corpus's own split (FER2013 usage, a manifest's split column)"),
    ];

    /// <summary>The protocol called <paramref name="name"/>; <paramref name="k"/> is the group/fold count where one is taken.</summary>
    public static IProtocol Create(string name, int? k = null) => name.ToLowerInvariant() switch
    {
        "ravdess-pairs" => new RavdessActorPairs(),
        "crema-d" => k is null ? SexBalancedGroups.CremaD() : new SexBalancedGroups("crema-d", k.Value, "S"),
        "loso" => new LeaveOneSpeakerOut(),
        "losgo" => SexBalancedGroups.Losgo(k ?? 5),
        "speaker-kfold" => new SpeakerKFold(k ?? 5),
        "random" => new RandomStratifiedSplit(),
        "predefined" => new PredefinedSplit(),
        _ => throw new ArgumentException($"unknown protocol '{name}' (known: {string.Join(", ", Known.Select(p => p.Name))})"),
    };
}
