namespace Aver.Models.Avef;

/// <summary>Kind of the visible units of an <see cref="Rbm"/> (hidden units are always binary).</summary>
public enum RbmVisible
{
    /// <summary>Binary visible units, p(v=1|h) = σ(b + Wᵀh): for data in [0, 1] (e.g. the hidden probabilities of the layer below).</summary>
    Bernoulli,

    /// <summary>Unit-variance Gaussian visible units, v|h ~ N(b + Wᵀh, 1): for real-valued, standardised data (the fc7 features).</summary>
    Gaussian,
}

/// <summary>
/// Contrastive-divergence hyper-parameters (Hinton 2010, "A practical guide to training RBMs"):
/// ΔW = lr·(⟨v hᵀ⟩_data − ⟨v hᵀ⟩_CD-k − wd·W), smoothed by momentum.
/// </summary>
/// <param name="Epochs">Passes over the data.</param>
/// <param name="BatchSize">Examples per update.</param>
/// <param name="LearningRate">Step size (Gaussian visible units need one or two orders of magnitude less than binary ones).</param>
/// <param name="Momentum">Momentum after <paramref name="MomentumSwitchEpoch"/> (0.9).</param>
/// <param name="InitialMomentum">Momentum for the first epochs, while the weights change fast (0.5).</param>
/// <param name="MomentumSwitchEpoch">First epoch (0-based) with the final momentum.</param>
/// <param name="WeightDecay">L2 penalty on the weights (not biases).</param>
/// <param name="K">Gibbs steps of CD-k (1).</param>
public sealed record RbmTraining(
    int Epochs = 10, int BatchSize = 32, double LearningRate = 0.1, double Momentum = 0.9,
    double InitialMomentum = 0.5, int MomentumSwitchEpoch = 5, double WeightDecay = 2e-4, int K = 1)
{
    /// <summary>Defaults for a Gaussian-Bernoulli layer: the same with a tenth of the learning rate.</summary>
    public static RbmTraining GaussianDefaults { get; } = new(LearningRate: 0.01);

    internal void Check()
    {
        if (Epochs < 0 || BatchSize < 1 || K < 1)
            throw new ArgumentOutOfRangeException(nameof(RbmTraining), this, "RBM training: epochs >= 0, batch size >= 1 and k >= 1 required");
        if (!(LearningRate > 0) || !(Momentum >= 0 && Momentum < 1) || !(InitialMomentum >= 0 && InitialMomentum < 1) || !(WeightDecay >= 0))
            throw new ArgumentOutOfRangeException(nameof(RbmTraining), this, "RBM training: learning rate > 0, momenta in [0, 1) and weight decay >= 0 required");
    }
}
