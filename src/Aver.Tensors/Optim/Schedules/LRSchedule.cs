using Aver.Tensors.Nn;

namespace Aver.Tensors.Optim.Schedules;

/// <summary>
/// The base of learning-rate schedules: each changes the learning rates of an <see cref="Optimizer"/>'s
/// groups once per epoch, and saves and restores its counters exactly (<see cref="StateDict"/>),
/// so that with the optimiser's state a resumed run follows the same learning rates.
/// </summary>
public abstract class LRSchedule
{
    protected LRSchedule(Optimizer optimizer)
    {
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
    }

    public Optimizer Optimizer { get; }

    /// <summary>The number of the last epoch stepped (0 after construction, as in PyTorch).</summary>
    public int LastEpoch { get; protected set; }

    /// <summary>The groups' current learning rates.</summary>
    public double[] LearningRates() => Optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();

    /// <summary>The schedule's counters as values (no tensors).</summary>
    public SavedState StateDict()
    {
        var values = new Dictionary<string, string> { ["type"] = GetType().Name, ["last_epoch"] = SavedState.Format(LastEpoch) };
        SaveValues(values);
        return new SavedState([], values);
    }

    /// <summary>Restores counters saved by <see cref="StateDict"/> of the same kind of schedule.</summary>
    public void LoadStateDict(SavedState state)
    {
        string owner = GetType().Name;
        string type = state.Get("type", owner);
        if (type != owner) throw new StateDictException($"{owner}: saved state belongs to a {type}");
        long epoch = state.GetLong("last_epoch", owner);
        LoadValues(state, owner);
        LastEpoch = (int)epoch;
    }

    protected abstract void SaveValues(Dictionary<string, string> values);

    /// <summary>Reads the subclass's values; throws, before changing anything, if one is missing.</summary>
    protected abstract void LoadValues(SavedState state, string owner);
}
