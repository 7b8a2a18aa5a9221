namespace Aver.Tensors.Optim.Schedules;

/// <summary>
/// A schedule driven by the epoch count alone (PyTorch's <c>_LRScheduler</c>): each group's rate is
/// computed from its current rate and its initial one (<c>base_lr</c>), in PyTorch's chainable form.
/// </summary>
public abstract class EpochLRSchedule : LRSchedule
{
    private double[] _baseRates;

    protected EpochLRSchedule(Optimizer optimizer) : base(optimizer)
    {
        // PyTorch records initial_lr on the first schedule attached; later ones reuse it.
        foreach (var g in optimizer.ParamGroups) g.InitialLearningRate ??= g.LearningRate;
        _baseRates = optimizer.ParamGroups.Select(g => g.InitialLearningRate!.Value).ToArray();
        // PyTorch's constructor steps once to epoch 0, where every rule here leaves the rates unchanged.
        LastEpoch = 0;
    }

    /// <summary>The groups' initial learning rates, which the schedule scales.</summary>
    public IReadOnlyList<double> BaseLearningRates => _baseRates;

    /// <summary>Ends an epoch: advances <see cref="LRSchedule.LastEpoch"/> and sets the groups' new rates.</summary>
    public void Step()
    {
        LastEpoch++;
        var groups = Optimizer.ParamGroups;
        var next = new double[groups.Count];
        for (int g = 0; g < next.Length; g++) next[g] = NextRate(groups[g].LearningRate, _baseRates[g]);
        for (int g = 0; g < next.Length; g++) groups[g].LearningRate = next[g];
    }

    /// <summary>The rate for epoch <see cref="LRSchedule.LastEpoch"/> (already advanced), from the group's current and base rates.</summary>
    protected abstract double NextRate(double current, double baseRate);

    protected override void SaveValues(Dictionary<string, string> values)
    {
        for (int g = 0; g < _baseRates.Length; g++) values[$"base_lrs.{g}"] = SavedState.Format(_baseRates[g]);
    }

    protected override void LoadValues(SavedState state, string owner)
    {
        var rates = new double[_baseRates.Length];
        for (int g = 0; g < rates.Length; g++) rates[g] = state.GetDouble($"base_lrs.{g}", owner);
        _baseRates = rates;
    }
}
