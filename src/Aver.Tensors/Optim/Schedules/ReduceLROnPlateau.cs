namespace Aver.Tensors.Optim.Schedules;

/// <summary>Whether a smaller (<see cref="Min"/>) or a larger (<see cref="Max"/>) metric is better.</summary>
public enum PlateauMode { Min, Max }

/// <summary>Whether the improvement threshold is relative to the best value or absolute.</summary>
public enum ThresholdMode { Relative, Absolute }

/// <summary>
/// Multiplies the learning rates by <see cref="Factor"/> when a validation metric has not improved for
/// more than <see cref="Patience"/> epochs, as PyTorch's <c>ReduceLROnPlateau</c>, with an optional cap
/// on the number of reductions. MRPN (Chang &amp; Skarbek 2021, §5.2) trains with AdamW from 5e-5 and
/// decreases the rate "two times if validation loss is not dropping over ten epochs": mode Min on the
/// validation loss, patience 10, maxReductions 2 (the paper gives no factor; Aver's configs halve, 0.5).
/// </summary>
/// <remarks>
/// An epoch improves when metric &lt; best·(1 − threshold) (min, relative), metric &lt; best − threshold
/// (min, absolute), or the mirrored tests for max. After a reduction, <see cref="Cooldown"/> epochs pass
/// in which bad epochs are not counted. A group's rate never drops below its minimum, and changes
/// smaller than <see cref="Eps"/> are ignored.
/// </remarks>
public sealed class ReduceLROnPlateau : LRSchedule
{
    private readonly double[] _minRates;

    public PlateauMode Mode { get; }
    public double Factor { get; }
    public int Patience { get; }
    public double Threshold { get; }
    public ThresholdMode ThresholdMode { get; }
    public int Cooldown { get; }
    public double Eps { get; }

    /// <summary>At most this many reductions happen (null: no cap).</summary>
    public int? MaxReductions { get; }

    /// <summary>The best metric seen so far (±∞ before the first step).</summary>
    public double Best { get; private set; }

    /// <summary>Consecutive epochs without improvement, outside cooldown.</summary>
    public int BadEpochs { get; private set; }

    /// <summary>Epochs of cooldown left.</summary>
    public int CooldownCounter { get; private set; }

    /// <summary>How many reductions have happened.</summary>
    public int Reductions { get; private set; }

    /// <param name="minLearningRate">The floor for every group's rate.</param>
    public ReduceLROnPlateau(Optimizer optimizer, PlateauMode mode = PlateauMode.Min, double factor = 0.1, int patience = 10,
        double threshold = 1e-4, ThresholdMode thresholdMode = ThresholdMode.Relative, int cooldown = 0,
        double minLearningRate = 0, double eps = 1e-8, int? maxReductions = null)
        : this(optimizer, Enumerable.Repeat(minLearningRate, optimizer.ParamGroups.Count).ToArray(), mode, factor, patience,
               threshold, thresholdMode, cooldown, eps, maxReductions) { }

    /// <param name="minLearningRates">The floor for each group's rate, one per group.</param>
    public ReduceLROnPlateau(Optimizer optimizer, double[] minLearningRates, PlateauMode mode = PlateauMode.Min, double factor = 0.1,
        int patience = 10, double threshold = 1e-4, ThresholdMode thresholdMode = ThresholdMode.Relative, int cooldown = 0,
        double eps = 1e-8, int? maxReductions = null)
        : base(optimizer)
    {
        if (!(factor < 1 && factor >= 0)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "ReduceLROnPlateau: factor must be in [0, 1)");
        if (minLearningRates.Length != optimizer.ParamGroups.Count)
            throw new ArgumentException($"ReduceLROnPlateau: {minLearningRates.Length} minimum rates for {optimizer.ParamGroups.Count} parameter groups", nameof(minLearningRates));
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "ReduceLROnPlateau: patience must be non-negative");
        if (cooldown < 0) throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, "ReduceLROnPlateau: cooldown must be non-negative");
        if (maxReductions < 0) throw new ArgumentOutOfRangeException(nameof(maxReductions), maxReductions, "ReduceLROnPlateau: the cap on reductions must be non-negative");
        _minRates = (double[])minLearningRates.Clone();
        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        ThresholdMode = thresholdMode;
        Cooldown = cooldown;
        Eps = eps;
        MaxReductions = maxReductions;
        Best = WorstValue;
    }

    private double WorstValue => Mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>Whether <paramref name="metric"/> improves on <paramref name="best"/> by more than the threshold.</summary>
    public bool IsBetter(double metric, double best) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Relative) => metric < best * (1 - Threshold),
        (PlateauMode.Min, ThresholdMode.Absolute) => metric < best - Threshold,
        (PlateauMode.Max, ThresholdMode.Relative) => metric > best * (Threshold + 1),
        _ => metric > best + Threshold,
    };

    /// <summary>Ends an epoch with its validation <paramref name="metric"/>; returns true if the rates were reduced.</summary>
    public bool Step(double metric)
    {
        LastEpoch++;
        if (IsBetter(metric, Best)) { Best = metric; BadEpochs = 0; }
        else BadEpochs++;
        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            BadEpochs = 0; // bad epochs in cooldown do not count
        }
        if (BadEpochs <= Patience) return false;
        bool reduced = false;
        if (MaxReductions is null || Reductions < MaxReductions)
        {
            reduced = Reduce();
            if (reduced) Reductions++;
        }
        CooldownCounter = Cooldown;
        BadEpochs = 0;
        return reduced;
    }

    private bool Reduce()
    {
        bool any = false;
        var groups = Optimizer.ParamGroups;
        for (int g = 0; g < groups.Count; g++)
        {
            double old = groups[g].LearningRate;
            double next = Math.Max(old * Factor, _minRates[g]);
            if (old - next > Eps) { groups[g].LearningRate = next; any = true; }
        }
        return any;
    }

    protected override void SaveValues(Dictionary<string, string> values)
    {
        values["best"] = SavedState.Format(Best);
        values["num_bad_epochs"] = SavedState.Format(BadEpochs);
        values["cooldown_counter"] = SavedState.Format(CooldownCounter);
        values["reductions"] = SavedState.Format(Reductions);
    }

    protected override void LoadValues(SavedState state, string owner)
    {
        double best = state.GetDouble("best", owner);
        long bad = state.GetLong("num_bad_epochs", owner);
        long cooldown = state.GetLong("cooldown_counter", owner);
        long reductions = state.GetLong("reductions", owner);
        (Best, BadEpochs, CooldownCounter, Reductions) = (best, (int)bad, (int)cooldown, (int)reductions);
    }
}
