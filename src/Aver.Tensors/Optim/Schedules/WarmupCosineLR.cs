namespace Aver.Tensors.Optim.Schedules;

/// <summary>
/// A linear warm-up over the first <see cref="WarmupEpochs"/> epochs (Goyal et al. 2017, "Accurate, Large
/// Minibatch SGD", §2.2, per epoch here) followed by cosine annealing to <see cref="EtaMin"/> over the
/// remaining epochs (Loshchilov &amp; Hutter 2017, without restarts), in closed form for 0-based epoch e of T:
/// lr_e = base · (e + 1) / W for e &lt; W, else η_min + (base − η_min)(1 + cos(π (e − W) / (T − W))) / 2.
/// PyTorch composes the same curve from <c>LinearLR</c> and <c>CosineAnnealingLR</c> in a <c>SequentialLR</c>.
/// The constructor sets epoch 0's rate; a resumed run continues the curve only with the same <see cref="TotalEpochs"/>.
/// </summary>
public sealed class WarmupCosineLR : EpochLRSchedule
{
    public int TotalEpochs { get; }
    public int WarmupEpochs { get; }
    public double EtaMin { get; }

    public WarmupCosineLR(Optimizer optimizer, int totalEpochs, int warmupEpochs = 0, double etaMin = 0) : base(optimizer)
    {
        if (totalEpochs < 1) throw new ArgumentOutOfRangeException(nameof(totalEpochs), totalEpochs, "WarmupCosineLR: total epochs must be at least 1");
        if (warmupEpochs < 0 || warmupEpochs >= totalEpochs)
            throw new ArgumentOutOfRangeException(nameof(warmupEpochs), warmupEpochs, $"WarmupCosineLR: warm-up epochs must be in [0, {totalEpochs})");
        TotalEpochs = totalEpochs;
        WarmupEpochs = warmupEpochs;
        EtaMin = etaMin;
        var groups = optimizer.ParamGroups;
        for (int g = 0; g < groups.Count; g++) groups[g].LearningRate = Rate(0, BaseLearningRates[g]);
    }

    /// <summary>The rate of 0-based <paramref name="epoch"/> for a group starting at <paramref name="baseRate"/>.</summary>
    public double Rate(int epoch, double baseRate)
    {
        if (epoch < WarmupEpochs) return baseRate * (epoch + 1) / WarmupEpochs;
        double progress = Math.Min(1.0, (double)(epoch - WarmupEpochs) / (TotalEpochs - WarmupEpochs));
        return EtaMin + (baseRate - EtaMin) * (1 + Math.Cos(Math.PI * progress)) / 2;
    }

    protected override double NextRate(double current, double baseRate) => Rate(LastEpoch, baseRate);
}
