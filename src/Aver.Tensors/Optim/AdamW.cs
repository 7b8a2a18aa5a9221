namespace Aver.Tensors.Optim;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019): Adam with decoupled weight decay, p = p·(1 − lr·wd) before the
/// Adam step, as PyTorch's <c>torch.optim.AdamW</c> (default weight decay 0.01).
/// </summary>
public sealed class AdamW : Adam
{
    protected override bool DecoupledWeightDecay => true;

    public AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 1e-2, bool amsGrad = false)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsGrad) { }

    public AdamW(IEnumerable<ParamGroup> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 1e-2, bool amsGrad = false)
        : base(groups, learningRate, beta1, beta2, epsilon, weightDecay, amsGrad) { }
}
