namespace Aver.Tensors.Optim.Schedules;

/// <summary>
/// Multiplies the learning rate by <see cref="Gamma"/> every <see cref="StepSize"/> epochs, as
/// PyTorch's <c>StepLR</c>: lr_t = base_lr · γ^⌊t / step_size⌋.
/// </summary>
public sealed class StepLR : EpochLRSchedule
{
    public int StepSize { get; }
    public double Gamma { get; }

    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "StepLR: step size must be at least 1");
        StepSize = stepSize;
        Gamma = gamma;
    }

    protected override double NextRate(double current, double baseRate) =>
        LastEpoch == 0 || LastEpoch % StepSize != 0 ? current : current * Gamma;
}
