using System.Globalization;
using System.Text.Json;
using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;
using Aver.Tensors.Optim;

namespace Aver.Training.Training;

/// <summary>
/// Everything a run needs to continue bit for bit, in one safetensors file written atomically after
/// every epoch: the model's state (<c>model.*</c>), the best weights so far (<c>best.*</c>), the
/// optimiser's moments and step counts (<c>optimizer.*</c>), the plateau schedule (<c>schedule.*</c>),
/// the early-stopping counters, the weight average when the run keeps one (<c>ema.*</c>), the metrics history (JSON)
/// and the seed. Random streams need no
/// saving: each epoch's streams derive from the seed and the epoch number (<see cref="RandomStreams"/>).
/// </summary>
public sealed class Checkpoint
{
    /// <summary>The checkpoint file inside a run's checkpoint folder.</summary>
    public const string FileName = "checkpoint.safetensors";

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public required int Epoch { get; init; }
    public required ulong Seed { get; init; }
    /// <summary>Kernel threads of the run: some kernels sum in a thread-count-dependent order, so bit-exact resumption needs the same count.</summary>
    public required int Threads { get; init; }
    /// <summary>True when early stopping ended the run at <see cref="Epoch"/>.</summary>
    public required bool StoppedEarly { get; init; }
    public required IReadOnlyList<EpochMetrics> History { get; init; }
    public required IReadOnlyDictionary<string, Tensor> Model { get; init; }
    public required IReadOnlyDictionary<string, Tensor> Best { get; init; }
    public required SavedState Optimizer { get; init; }
    public required SavedState Schedule { get; init; }
    public required double BestMetric { get; init; }
    public required int BestEpoch { get; init; }
    public required int EpochsWithoutImprovement { get; init; }
    /// <summary>The weight average (<see cref="WeightAverage"/>) of a run that keeps one (<c>ema.*</c>), else null.</summary>
    public SavedState? Ema { get; init; }

    /// <summary>The path of the checkpoint in <paramref name="folder"/>.</summary>
    public static string PathIn(string folder) => System.IO.Path.Combine(folder, FileName);

    /// <summary>Writes the checkpoint to <paramref name="path"/> (temporary name, then rename).</summary>
    public void Save(string path)
    {
        var values = new Dictionary<string, string>
        {
            ["aver.kind"] = "training-checkpoint",
            ["epoch"] = Epoch.ToString(CultureInfo.InvariantCulture),
            ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
            ["threads"] = Threads.ToString(CultureInfo.InvariantCulture),
            ["stopped_early"] = StoppedEarly ? "true" : "false",
            ["history"] = JsonSerializer.Serialize(History, Json),
            ["early.best_metric"] = BestMetric.ToString("R", CultureInfo.InvariantCulture),
            ["early.best_epoch"] = BestEpoch.ToString(CultureInfo.InvariantCulture),
            ["early.bad_epochs"] = EpochsWithoutImprovement.ToString(CultureInfo.InvariantCulture),
        };
        var state = SavedState.Merge(
            new SavedState(Prefixed("model.", Model), values),
            new SavedState(Prefixed("best.", Best), new Dictionary<string, string>()),
            Optimizer.WithPrefix("optimizer."),
            Schedule.WithPrefix("schedule."),
            Ema?.WithPrefix("ema.") ?? new SavedState([], new Dictionary<string, string>()));
        state.Save(path);
    }

    /// <summary>Reads a checkpoint written by <see cref="Save"/>; throws naming the file when it is not one.</summary>
    public static Checkpoint Load(string path)
    {
        SavedState state;
        try { state = SavedState.Load(path); }
        catch (Exception e) when (e is IOException or SafeTensorsException or FormatException)
        {
            throw new CheckpointException(path, $"cannot be read ({e.Message})");
        }
        if (!state.Values.TryGetValue("aver.kind", out var kind) || kind != "training-checkpoint")
            throw new CheckpointException(path, "is not an Aver training checkpoint (metadata 'aver.kind' is missing)");
        try
        {
            return new Checkpoint
            {
                Epoch = (int)state.GetLong("epoch", path),
                Seed = ulong.Parse(state.Get("seed", path), CultureInfo.InvariantCulture),
                Threads = (int)state.GetLong("threads", path),
                StoppedEarly = state.Get("stopped_early", path) == "true",
                History = JsonSerializer.Deserialize<List<EpochMetrics>>(state.Get("history", path), Json)
                          ?? throw new CheckpointException(path, "has an empty history"),
                Model = Unprefixed("model.", state),
                Best = Unprefixed("best.", state),
                Optimizer = state.Under("optimizer."),
                Schedule = state.Under("schedule."),
                BestMetric = state.GetDouble("early.best_metric", path),
                BestEpoch = (int)state.GetLong("early.best_epoch", path),
                EpochsWithoutImprovement = (int)state.GetLong("early.bad_epochs", path),
                Ema = state.Under("ema.") is { } ema && (ema.Tensors.Count > 0 || ema.Values.Count > 0) ? ema : null,
            };
        }
        catch (Exception e) when (e is StateDictException or JsonException or FormatException)
        {
            throw new CheckpointException(path, e.Message);
        }
    }

    /// <summary>A copy of a module's parameters and buffers, detached from later updates.</summary>
    public static Dictionary<string, Tensor> Snapshot(Module model)
    {
        var copy = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, t) in model.StateDict()) copy[name] = new Tensor((float[])t.Data.Clone(), t.Shape.ToArray());
        return copy;
    }

    private static IEnumerable<KeyValuePair<string, Tensor>> Prefixed(string prefix, IReadOnlyDictionary<string, Tensor> tensors) =>
        tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new KeyValuePair<string, Tensor>(prefix + kv.Key, kv.Value));

    private static Dictionary<string, Tensor> Unprefixed(string prefix, SavedState state) =>
        state.Under(prefix).Tensors.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
}

/// <summary>A checkpoint file that cannot be used; the message names the file.</summary>
public sealed class CheckpointException(string path, string problem) : IOException($"checkpoint {path} {problem}")
{
    public string Path { get; } = path;
}
