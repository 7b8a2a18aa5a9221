namespace Aver.Data.Labels;

/// <summary>
/// An ordered set of class names. Every label and every model carries its space (DESIGN.md:
/// never a bare int across a boundary); two spaces are equal when their names and order are.
/// </summary>
public sealed class LabelSpace : IEquatable<LabelSpace>
{
    private readonly string[] _names;
    private readonly Dictionary<string, int> _index;

    /// <param name="name">Identifier of the space, e.g. "ravdess8".</param>
    /// <param name="names">Class names in index order; unique, non-empty.</param>
    public LabelSpace(string name, IEnumerable<string> names)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a label space needs a name", nameof(name));
        Name = name;
        _names = names.ToArray();
        if (_names.Length == 0) throw new ArgumentException($"label space '{name}' has no classes", nameof(names));
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _names.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(_names[i])) throw new ArgumentException($"label space '{name}' has an empty class name at {i}", nameof(names));
            if (!_index.TryAdd(_names[i], i)) throw new ArgumentException($"label space '{name}' lists '{_names[i]}' twice", nameof(names));
        }
    }

    /// <summary>Identifier of the space, e.g. "ravdess8".</summary>
    public string Name { get; }

    /// <summary>Class names in index order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Number of classes.</summary>
    public int Count => _names.Length;

    /// <summary>The label at <paramref name="index"/>.</summary>
    public Label this[int index] => index >= 0 && index < _names.Length
        ? new Label(this, index)
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"label space '{Name}' has {Count} classes");

    /// <summary>The label called <paramref name="name"/>; throws naming the space when absent.</summary>
    public Label this[string name] => TryGet(name, out var l)
        ? l
        : throw new ArgumentException($"label space '{Name}' has no class '{name}' (it has {string.Join(", ", _names)})", nameof(name));

    /// <summary>Looks a class up by exact name.</summary>
    public bool TryGet(string name, out Label label)
    {
        if (_index.TryGetValue(name, out int i)) { label = new Label(this, i); return true; }
        label = default;
        return false;
    }

    public bool Contains(string name) => _index.ContainsKey(name);

    public bool Equals(LabelSpace? other) =>
        other is not null && (ReferenceEquals(this, other) || (other.Name == Name && other._names.AsSpan().SequenceEqual(_names)));

    public override bool Equals(object? obj) => Equals(obj as LabelSpace);

    public override int GetHashCode() => HashCode.Combine(Name, _names.Length, _names[0]);

    public override string ToString() => $"{Name} [{string.Join(", ", _names)}]";
}

/// <summary>A class of a <see cref="LabelSpace"/>: the space travels with the index.</summary>
public readonly record struct Label(LabelSpace Space, int Index)
{
    /// <summary>The class name.</summary>
    public string Name => Space.Names[Index];

    public override string ToString() => Name;
}
