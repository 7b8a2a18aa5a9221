namespace Aver.Tensors.Optim.Schedules;

/// <summary>
/// Cosine annealing (Loshchilov &amp; Hutter 2017, without restarts), as PyTorch's <c>CosineAnnealingLR</c>:
/// lr_t = η_min + (base_lr − η_min)(1 + cos(π t / T_max)) / 2, computed in PyTorch's recursive form
/// (so rates changed by hand in between are followed as PyTorch follows them); past T_max it rises again.
/// </summary>
public sealed class CosineAnnealingLR : EpochLRSchedule
{
    public int TMax { get; }
    public double EtaMin { get; }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        if (tMax < 1) throw new ArgumentOutOfRangeException(nameof(tMax), tMax, "CosineAnnealingLR: T_max must be at least 1");
        TMax = tMax;
        EtaMin = etaMin;
    }

    protected override double NextRate(double current, double baseRate)
    {
        int t = LastEpoch;
        if (t == 0) return current;
        if ((t - 1 - TMax) % (2 * TMax) == 0)
            return current + (baseRate - EtaMin) * (1 - Math.Cos(Math.PI / TMax)) / 2;
        return (1 + Math.Cos(Math.PI * t / TMax)) / (1 + Math.Cos(Math.PI * (t - 1) / TMax)) * (current - EtaMin) + EtaMin;
    }
}
