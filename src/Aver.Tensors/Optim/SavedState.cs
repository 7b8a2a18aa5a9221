using System.Globalization;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;

namespace Aver.Tensors.Optim;

/// <summary>
/// The resumable state of an optimiser or learning-rate schedule: named float32 tensors (moment
/// buffers, shaped like their parameters) plus named scalar values kept as round-trip strings
/// (step counts, learning rates, best metric), so a restored run continues bit for bit.
/// It maps onto a safetensors file: tensors as tensors, values as <c>__metadata__</c>.
/// </summary>
public sealed class SavedState
{
    /// <summary>Named tensors, in a stable order.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Tensors { get; }

    /// <summary>Named scalars, written with round-trip precision ("R" for doubles).</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    public SavedState(IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string> values)
    {
        Tensors = tensors.ToList();
        Values = new Dictionary<string, string>(values);
    }

    /// <summary>The same entries with <paramref name="prefix"/> put before every name (e.g. "optimizer.").</summary>
    public SavedState WithPrefix(string prefix) => new(
        Tensors.Select(kv => new KeyValuePair<string, Tensor>(prefix + kv.Key, kv.Value)),
        Values.ToDictionary(kv => prefix + kv.Key, kv => kv.Value));

    /// <summary>The entries whose names start with <paramref name="prefix"/>, with the prefix removed.</summary>
    public SavedState Under(string prefix) => new(
        Tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
               .Select(kv => new KeyValuePair<string, Tensor>(kv.Key[prefix.Length..], kv.Value)),
        Values.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
              .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value));

    /// <summary>All entries of several states in one (names must not collide).</summary>
    public static SavedState Merge(params SavedState[] parts)
    {
        var tensors = new List<KeyValuePair<string, Tensor>>();
        var values = new Dictionary<string, string>();
        var names = new HashSet<string>();
        foreach (var p in parts)
        {
            foreach (var kv in p.Tensors)
            {
                if (!names.Add(kv.Key)) throw new ArgumentException($"SavedState.Merge: tensor '{kv.Key}' appears twice");
                tensors.Add(kv);
            }
            foreach (var (k, v) in p.Values)
                if (!values.TryAdd(k, v)) throw new ArgumentException($"SavedState.Merge: value '{k}' appears twice");
        }
        return new SavedState(tensors, values);
    }

    /// <summary>Writes the state as a safetensors file (atomically).</summary>
    public void Save(string path) => SafeTensors.Save(path, Tensors, Values);

    /// <summary>Reads a state written by <see cref="Save"/>.</summary>
    public static SavedState Load(string path)
    {
        var f = SafeTensors.Load(path);
        return new SavedState(f.Tensors, f.Metadata);
    }

    internal static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    internal static string Format(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>The value <paramref name="key"/> as a double; <paramref name="owner"/> names the loader in errors.</summary>
    public double GetDouble(string key, string owner) =>
        double.TryParse(Get(key, owner), NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v : throw new StateDictException($"{owner}: value '{key}' = '{Values[key]}' is not a number");

    /// <summary>The value <paramref name="key"/> as an integer.</summary>
    public long GetLong(string key, string owner) =>
        long.TryParse(Get(key, owner), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v : throw new StateDictException($"{owner}: value '{key}' = '{Values[key]}' is not an integer");

    /// <summary>The value <paramref name="key"/> as text; throws naming the key when absent.</summary>
    public string Get(string key, string owner) =>
        Values.TryGetValue(key, out var s) ? s : throw new StateDictException($"{owner}: saved state lacks '{key}'");
}
