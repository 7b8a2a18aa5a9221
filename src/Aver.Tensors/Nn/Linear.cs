namespace Aver.Tensors.Nn;

/// <summary>y = x W^T + b, with PyTorch's parameter names (<c>weight</c> [out, in], <c>bias</c> [out]) and default init.</summary>
public sealed class Linear : Module
{
    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public Linear(int inFeatures, int outFeatures, bool bias = true, RandomStream? rng = null)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", new Tensor(outFeatures, inFeatures));
        Init.DefaultWeight(Weight, inFeatures, rng);
        if (bias)
        {
            Bias = RegisterParameter("bias", new Tensor(outFeatures));
            Init.DefaultWeight(Bias, inFeatures, rng);
        }
    }

    public override Tensor Forward(Tensor input) => input.Linear(Weight, Bias);
}
