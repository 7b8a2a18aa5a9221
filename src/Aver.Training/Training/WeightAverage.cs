using System.Globalization;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Tensors.Optim;

namespace Aver.Training.Training;

/// <summary>
/// An average of a model's weights, of one of two kinds. Exponential (Polyak averaging; timm's ModelEmaV2): after every
/// optimiser step each parameter and buffer becomes a ← d·a + (1 − d)·w, with the decay warmed up as
/// min(d, (1 + n) / (10 + n)) over the first steps n so the initial weights fade quickly. Uniform (stochastic weight
/// averaging, Izmailov et al. 2018): the plain mean of the weights at the end of each epoch from
/// <see cref="FromEpoch"/> on, a ← a + (w − a) / (n + 1), batch-norm statistics averaged like the weights. The
/// trainer validates, selects and saves the averaged weights once the average holds any; training continues on the
/// live ones.
/// </summary>
public sealed class WeightAverage
{
    private readonly List<(string Name, Tensor Live, float[] Average)> _entries = [];

    /// <summary>An exponential moving average of decay <paramref name="decay"/>, updated after every optimiser step.</summary>
    public WeightAverage(Module model, double decay) : this(model)
        => Decay = decay is > 0 and < 1 ? decay : throw new ArgumentOutOfRangeException(nameof(decay), decay, "the weight average's decay must be in (0, 1)");

    private WeightAverage(Module model)
    {
        foreach (var (name, t) in model.StateDict()) _entries.Add((name, t, (float[])t.Data.AsSpan(0, t.Size).ToArray()));
    }

    /// <summary>A uniform average of the weights at the end of every epoch from <paramref name="fromEpoch"/> on (SWA).</summary>
    public static WeightAverage Uniform(Module model, int fromEpoch) => new(model)
    {
        FromEpoch = fromEpoch >= 1 ? fromEpoch : throw new ArgumentOutOfRangeException(nameof(fromEpoch), fromEpoch, "the weight average's first epoch must be at least 1"),
    };

    /// <summary>The exponential average's decay; 0 for a uniform average.</summary>
    public double Decay { get; }

    /// <summary>The first epoch a uniform average takes in; 0 for an exponential one.</summary>
    public int FromEpoch { get; private init; }

    public bool IsUniform => FromEpoch > 0;

    /// <summary>Updates folded in so far: optimiser steps (exponential) or epochs (uniform).</summary>
    public long Steps { get; private set; }

    /// <summary>Folds the model's current weights into the average (exponential: after an optimiser step; uniform: after an epoch).</summary>
    public void Update()
    {
        float d = IsUniform ? Steps / (Steps + 1f) : (float)Math.Min(Decay, (1.0 + Steps) / (10.0 + Steps));
        foreach (var (_, live, average) in _entries)
        {
            var a = average.AsSpan();
            TensorPrimitives.Multiply(a, d, a);
            TensorPrimitives.MultiplyAdd(live.Data.AsSpan(0, a.Length), 1 - d, a, a);
        }
        Steps++;
    }

    /// <summary>A copy of the averaged weights, by state-dict name.</summary>
    public Dictionary<string, Tensor> State()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, live, average) in _entries) state[name] = new Tensor((float[])average.Clone(), live.Shape.ToArray());
        return state;
    }

    /// <summary>Runs <paramref name="action"/> with the averaged weights in the model, then puts the live ones back.</summary>
    public T WithAveraged<T>(Func<T> action)
    {
        var live = new float[_entries.Count][];
        for (int i = 0; i < _entries.Count; i++)
        {
            var (_, t, average) = _entries[i];
            live[i] = t.Data.AsSpan(0, average.Length).ToArray();
            average.CopyTo(t.Data, 0);
        }
        try { return action(); }
        finally { for (int i = 0; i < _entries.Count; i++) live[i].CopyTo(_entries[i].Live.Data, 0); }
    }

    /// <summary>
    /// Puts the averaged weights in the model, runs <paramref name="measure"/> (which sets the model's buffers, e.g.
    /// batch-norm statistics measured afresh), keeps the buffers it set as the average's, then puts the live weights back.
    /// </summary>
    public void RemeasureBuffers(Module model, Action measure)
    {
        var buffers = new HashSet<string>(model.NamedBuffers().Select(kv => kv.Key), StringComparer.Ordinal);
        WithAveraged(() =>
        {
            measure();
            foreach (var (name, live, average) in _entries)
                if (buffers.Contains(name)) live.Data.AsSpan(0, average.Length).CopyTo(average);
            return 0;
        });
    }

    /// <summary>The average as a checkpoint keeps it (tensors by name, the update count, its kind).</summary>
    public SavedState ToSavedState() => new(State().OrderBy(kv => kv.Key, StringComparer.Ordinal),
        new Dictionary<string, string> { ["steps"] = Steps.ToString(CultureInfo.InvariantCulture), [KindKey] = KindValue });

    private string KindKey => IsUniform ? "from_epoch" : "decay";
    private string KindValue => IsUniform ? FromEpoch.ToString(CultureInfo.InvariantCulture) : Decay.ToString("R", CultureInfo.InvariantCulture);
    private string Describe(string key, string? value) => key == "decay" ? $"an exponential weight average of decay {value}" : $"a uniform weight average from epoch {value}";

    /// <summary>Restores the average of a checkpoint; another kind, decay or first epoch, or a missing tensor, is an error naming <paramref name="source"/>.</summary>
    public void Load(SavedState state, string source)
    {
        if (!state.Values.TryGetValue(KindKey, out var value) || value != KindValue)
        {
            string key = state.Values.ContainsKey("decay") ? "decay" : "from_epoch";
            throw new CheckpointException(source, $"holds {Describe(key, state.Values.GetValueOrDefault(key) ?? "?")}, this run keeps {Describe(KindKey, KindValue)}");
        }
        var tensors = state.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var (name, live, average) in _entries)
        {
            if (!tensors.TryGetValue(name, out var t) || t.Size != average.Length)
                throw new CheckpointException(source, $"has no weight average for '{name}' of {average.Length} values");
            t.Data.AsSpan(0, average.Length).CopyTo(average);
        }
        Steps = long.Parse(state.Values["steps"], CultureInfo.InvariantCulture);
    }
}
