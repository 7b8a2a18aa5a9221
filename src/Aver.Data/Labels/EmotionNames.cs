using System.Collections.Frozen;

namespace Aver.Data.Labels;

/// <summary>
/// The emotion a class name means across corpora and conventions: "anger", "angry", "ANG" and "OAF_angry"
/// (TESS's speaker prefix) all mean angry; words and the common 3-letter codes are known. Used to match a data set's classes to a model's when no built-in map exists.
/// </summary>
public static class EmotionNames
{
    private static readonly FrozenDictionary<string, string> Canonical = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["angry"] = "angry", ["anger"] = "angry", ["ang"] = "angry", ["mad"] = "angry",
        ["disgust"] = "disgust", ["disgusted"] = "disgust", ["dis"] = "disgust",
        ["fear"] = "fear", ["fearful"] = "fear", ["afraid"] = "fear", ["scared"] = "fear", ["fea"] = "fear",
        ["happy"] = "happy", ["happiness"] = "happy", ["joy"] = "happy", ["hap"] = "happy",
        ["sad"] = "sad", ["sadness"] = "sad", ["sorrow"] = "sad",
        ["surprise"] = "surprise", ["surprised"] = "surprise", ["sur"] = "surprise", ["ps"] = "surprise", ["pleasant_surprise"] = "surprise",
        ["neutral"] = "neutral", ["neu"] = "neutral",
        ["calm"] = "calm", ["boredom"] = "boredom", ["bored"] = "boredom", ["contempt"] = "contempt",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The canonical emotion of <paramref name="name"/> (a prefix such as TESS's "OAF_" is dropped), or null.</summary>
    public static string? Of(string name)
    {
        if (Canonical.TryGetValue(name, out var c)) return c;
        int underscore = name.IndexOf('_');
        return underscore > 0 && Canonical.TryGetValue(name[(underscore + 1)..], out c) ? c : null;
    }

    /// <summary>
    /// The map from <paramref name="from"/> to <paramref name="to"/>: the built-in one where it exists
    /// (<see cref="LabelMaps.Between"/>), else class by class through <see cref="Of"/>; then
    /// <paramref name="overrides"/> (data class -> model class, or null to leave the class out) win.
    /// Classes that end up unmapped are <see cref="LabelMap.Unmapped"/>; an override naming no class is an error.
    /// </summary>
    public static (LabelMap Map, string How) Match(LabelSpace from, LabelSpace to, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builtIn = from.Equals(to) ? null : LabelMaps.Between(from, to);
        var pairs = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in from.Names)
        {
            string? target = from.Equals(to) ? name
                : builtIn is not null ? (builtIn.TryMap(from[name], out var m) ? m.Name : null)
                : to.Names.FirstOrDefault(t => Of(t) is { } ct && ct == Of(name));
            pairs[name] = target;
        }
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            // The data's class by its name, or by the emotion a folder name means (sadness -> the class sad).
            string? source = from.Names.FirstOrDefault(n => string.Equals(n, key, StringComparison.OrdinalIgnoreCase))
                ?? from.Names.FirstOrDefault(n => Of(key) is { } e && Of(n) == e)
                ?? throw new ArgumentException($"--map {key}=...: the data has no class '{key}' ({string.Join(", ", from.Names)})");
            if (value is not null && !to.Names.Contains(value))
                throw new ArgumentException($"--map {key}={value}: the model has no class '{value}' ({string.Join(", ", to.Names)})");
            pairs[source] = value;
        }
        string how = from.Equals(to) ? "the same label space" : builtIn is not null ? $"built-in map {builtIn.Name}" : "classes matched by emotion name";
        if (overrides is { Count: > 0 }) how += $", overridden by --map ({string.Join(", ", overrides.Select(kv => $"{kv.Key}={kv.Value ?? "-"}"))})";
        return (new LabelMap(from, to, pairs), how);
    }
}
