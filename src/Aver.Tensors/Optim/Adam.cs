using Aver.Tensors.Kernels;

namespace Aver.Tensors.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) with weight decay as an L2 term in the gradient and optional AMSGrad,
/// computing exactly PyTorch's <c>torch.optim.Adam</c> update:
/// m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²; p = p − lr/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε),
/// where v̂ is v, or its running maximum with AMSGrad.
/// </summary>
public class Adam : Optimizer
{
    private const string ExpAvg = "exp_avg", ExpAvgSq = "exp_avg_sq", MaxExpAvgSq = "max_exp_avg_sq";

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Epsilon { get; }
    public bool AmsGrad { get; }

    /// <summary>When true (AdamW) weight decay shrinks the parameter directly instead of entering the gradient.</summary>
    protected virtual bool DecoupledWeightDecay => false;

    /// <summary>One group over <paramref name="parameters"/>, with PyTorch's defaults.</summary>
    public Adam(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0, bool amsGrad = false)
        : this(OneGroup(parameters), learningRate, beta1, beta2, epsilon, weightDecay, amsGrad) { }

    /// <summary>Several groups; a group's null learning rate or weight decay takes the value given here.</summary>
    public Adam(IEnumerable<ParamGroup> groups, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0, bool amsGrad = false)
        : base(groups, learningRate, weightDecay)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, $"{GetType().Name}: beta1 must be in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, $"{GetType().Name}: beta2 must be in [0, 1)");
        CheckHyper(epsilon, "epsilon");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        AmsGrad = amsGrad;
    }

    protected override void Update(int index, float[] param, float[] grad, ParamGroup group)
    {
        double lr = group.LearningRate;
        bool l2 = group.WeightDecay != 0 && !DecoupledWeightDecay;
        float wd = (float)group.WeightDecay;
        float shrink = DecoupledWeightDecay ? (float)(1 - lr * group.WeightDecay) : 1f;
        long t = StepCount(index);
        double biasCorrection1 = 1 - Math.Pow(Beta1, t);
        double biasCorrection2 = 1 - Math.Pow(Beta2, t);
        float negStepSize = (float)-(lr / biasCorrection1);
        // PyTorch divides by the Python scalar sqrt(bias_correction2) as a multiplication by its reciprocal.
        float invCorrection2 = (float)(1 / Math.Sqrt(biasCorrection2));
        var k = new AdamKernel.Constants(shrink, l2 ? wd : 0f, (float)Beta1, (float)(1 - Beta1), (float)Beta2, (float)(1 - Beta2),
            invCorrection2, (float)Epsilon, negStepSize);
        var m = Buffer(index, ExpAvg);
        var v = Buffer(index, ExpAvgSq);
        var max = AmsGrad ? Buffer(index, MaxExpAvgSq) : null;
        ForEachChunk(param.Length, (start, n) => AdamKernel.Step(param.AsSpan(start, n), grad.AsSpan(start, n), m.AsSpan(start, n),
            v.AsSpan(start, n), max is null ? default : max.AsSpan(start, n), k));
    }
}
