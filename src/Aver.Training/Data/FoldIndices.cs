using Aver.Data.Catalogs;
using Aver.Data.Protocols;

namespace Aver.Training.Data;

/// <summary>
/// Maps a protocol's folds (lists of catalog items) onto the indices of an example set built over a
/// list of catalog items, matching items by path.
/// </summary>
public sealed class FoldIndices
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly string _set;

    /// <param name="setItems">The catalog items behind the example set, in its index order.</param>
    /// <param name="set">Names the set in errors.</param>
    public FoldIndices(IReadOnlyList<CatalogItem> setItems, string set)
    {
        _set = set;
        for (int i = 0; i < setItems.Count; i++)
            if (!_index.TryAdd(setItems[i].Path, i)) throw new ArgumentException($"{set}: item {setItems[i].Path} appears twice");
    }

    /// <summary>The example indices of <paramref name="items"/>; throws naming the first item the set lacks.</summary>
    public int[] Of(IReadOnlyList<CatalogItem> items) => items.Select(item =>
        _index.TryGetValue(item.Path, out int i) ? i : throw new ArgumentException($"{_set} has no example for {item.Path}")).ToArray();

    /// <summary>The indices of one side of <paramref name="fold"/>.</summary>
    public int[] Of(Fold fold, SplitPart part) => Of(fold.Items(part));
}
