namespace Aver.Data.Labels;

/// <summary>
/// An explicit map from one label space to another. Every source class is listed, either with
/// its target or as unmapped (null), so that a class without a counterpart (RAVDESS "calm") is a
/// decision written down, not an accident; unmapped items are dropped and reported by
/// <see cref="Catalogs.Catalog.Relabel"/>.
/// </summary>
public sealed class LabelMap
{
    private readonly int[] _target; // -1 = unmapped

    /// <param name="from">Source space.</param>
    /// <param name="to">Target space.</param>
    /// <param name="pairs">Source class name → target class name, or null for "no counterpart". Must list every source class.</param>
    public LabelMap(LabelSpace from, LabelSpace to, IReadOnlyDictionary<string, string?> pairs)
    {
        From = from;
        To = to;
        _target = new int[from.Count];
        foreach (var key in pairs.Keys)
            if (!from.Contains(key)) throw new ArgumentException($"label map {Name}: '{key}' is not a class of {from.Name}", nameof(pairs));
        for (int i = 0; i < from.Count; i++)
        {
            if (!pairs.TryGetValue(from.Names[i], out var target))
                throw new ArgumentException($"label map {Name}: source class '{from.Names[i]}' is not listed (give null to leave it unmapped)", nameof(pairs));
            _target[i] = target is null ? -1 : to.TryGet(target, out var t)
                ? t.Index
                : throw new ArgumentException($"label map {Name}: '{target}' is not a class of {to.Name}", nameof(pairs));
        }
    }

    public LabelSpace From { get; }
    public LabelSpace To { get; }

    /// <summary>"from->to", e.g. "ravdess8->basic6".</summary>
    public string Name => $"{From.Name}->{To.Name}";

    /// <summary>Source classes with no counterpart in <see cref="To"/>.</summary>
    public IReadOnlyList<string> Unmapped => From.Names.Where((_, i) => _target[i] < 0).ToArray();

    /// <summary>The target of <paramref name="label"/>, false when it has no counterpart.</summary>
    public bool TryMap(Label label, out Label mapped)
    {
        CheckSpace(label);
        int t = _target[label.Index];
        mapped = t < 0 ? default : new Label(To, t);
        return t >= 0;
    }

    /// <summary>The target of <paramref name="label"/>; throws <see cref="UnmappedLabelException"/> when it has none.</summary>
    public Label Map(Label label) => TryMap(label, out var m) ? m : throw new UnmappedLabelException(this, label);

    /// <summary>This map followed by <paramref name="next"/> (e.g. ravdess8→basic6→arousal); unmapped anywhere stays unmapped.</summary>
    public LabelMap Then(LabelMap next)
    {
        if (!next.From.Equals(To)) throw new ArgumentException($"cannot chain {Name} with {next.Name}: {To.Name} is not {next.From.Name}", nameof(next));
        var pairs = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (int i = 0; i < From.Count; i++)
            pairs[From.Names[i]] = _target[i] >= 0 && next.TryMap(new Label(To, _target[i]), out var m) ? m.Name : null;
        return new LabelMap(From, next.To, pairs);
    }

    private void CheckSpace(Label label)
    {
        if (!label.Space.Equals(From)) throw new ArgumentException($"label map {Name} was given a label of {label.Space.Name}", nameof(label));
    }

    public override string ToString() => Name;
}

/// <summary>A label has no counterpart in the target space of a <see cref="LabelMap"/>.</summary>
public sealed class UnmappedLabelException(LabelMap map, Label label)
    : ArgumentException($"label '{label.Name}' of {map.From.Name} has no counterpart in {map.To.Name} (map {map.Name})")
{
    public Label Label { get; } = label;
}
