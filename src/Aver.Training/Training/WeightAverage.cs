using System.Globalization;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Tensors.Optim;

namespace Aver.Training.Training;

/// <summary>
/// An exponential moving average of a model's weights (Polyak averaging; timm's ModelEmaV2): after every optimiser step
/// each parameter and buffer becomes a ← d·a + (1 − d)·w, with the decay warmed up as min(d, (1 + n) / (10 + n)) over
/// the first steps n so the initial weights fade quickly. The trainer validates, selects and saves the averaged
/// weights; training continues on the live ones.
/// </summary>
public sealed class WeightAverage
{
    private readonly List<(string Name, Tensor Live, float[] Average)> _entries = [];

    public WeightAverage(Module model, double decay)
    {
        Decay = decay is > 0 and < 1 ? decay : throw new ArgumentOutOfRangeException(nameof(decay), decay, "the weight average's decay must be in (0, 1)");
        foreach (var (name, t) in model.StateDict()) _entries.Add((name, t, (float[])t.Data.AsSpan(0, t.Size).ToArray()));
    }

    public double Decay { get; }

    /// <summary>Optimiser steps averaged so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Folds the model's current weights into the average (after an optimiser step).</summary>
    public void Update()
    {
        float d = (float)Math.Min(Decay, (1.0 + Steps) / (10.0 + Steps));
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

    /// <summary>The average as a checkpoint keeps it (tensors by name, the step count).</summary>
    public SavedState ToSavedState() => new(State().OrderBy(kv => kv.Key, StringComparer.Ordinal),
        new Dictionary<string, string> { ["steps"] = Steps.ToString(CultureInfo.InvariantCulture), ["decay"] = Decay.ToString("R", CultureInfo.InvariantCulture) });

    /// <summary>Restores the average of a checkpoint; a different decay or a missing tensor is an error naming <paramref name="source"/>.</summary>
    public void Load(SavedState state, string source)
    {
        if (!state.Values.TryGetValue("decay", out var decay) || double.Parse(decay, CultureInfo.InvariantCulture) != Decay)
            throw new CheckpointException(source, $"holds a weight average of decay {decay ?? "none"}, this run's is {Decay.ToString("R", CultureInfo.InvariantCulture)}");
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
