using Aver.Data.Catalogs;

namespace Aver.Data.Protocols;

/// <summary>The three sides of a fold. Validation speakers are held out of training for early stopping.</summary>
public enum SplitPart { Train, Validation, Test }

/// <summary>
/// One fold of a protocol: training, validation (held-out speakers inside the training side, for
/// early stopping) and test items, with the speakers held out for validation and test.
/// </summary>
public sealed record Fold(
    string Name,
    IReadOnlyList<CatalogItem> Train,
    IReadOnlyList<CatalogItem> Validation,
    IReadOnlyList<CatalogItem> Test,
    IReadOnlyList<string> ValidationSpeakers,
    IReadOnlyList<string> TestSpeakers)
{
    /// <summary>The items of <paramref name="part"/>.</summary>
    public IReadOnlyList<CatalogItem> Items(SplitPart part) => part switch
    {
        SplitPart.Train => Train,
        SplitPart.Validation => Validation,
        _ => Test,
    };
}

/// <summary>
/// The folds a protocol made from a catalog for a seed. <see cref="SpeakerDependent"/> is true when
/// a speaker may appear on both sides (random split, corpora without speaker ids): any result on
/// such a plan must be reported as speaker-dependent.
/// </summary>
public sealed record SplitPlan(
    string Protocol,
    Catalog Catalog,
    ulong Seed,
    bool SpeakerDependent,
    IReadOnlyList<Fold> Folds,
    IReadOnlyList<string> Notes);

/// <summary>A way of splitting a catalog into folds, deterministic for a seed.</summary>
public interface IProtocol
{
    /// <summary>The name `aver splits --protocol` takes.</summary>
    string Name { get; }

    /// <summary>Makes the folds and runs <see cref="LeakCheck"/> on every one.</summary>
    SplitPlan Make(Catalog catalog, ulong seed);
}
