namespace Aver.Tensors.Nn;

/// <summary>nn.ReLU: max(x, 0).</summary>
public sealed class ReLU : Module
{
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>nn.Sigmoid: 1 / (1 + exp(-x)).</summary>
public sealed class Sigmoid : Module
{
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>nn.Tanh.</summary>
public sealed class Tanh : Module
{
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>nn.GELU: exact (erf) by default, <c>approximate='tanh'</c> when <see cref="TanhApproximation"/>.</summary>
public sealed class GELU(bool tanhApproximation = false) : Module
{
    public bool TanhApproximation { get; } = tanhApproximation;
    public override Tensor Forward(Tensor input) => input.Gelu(TanhApproximation);
}

/// <summary>nn.LeakyReLU: x for x &gt; 0, else negative_slope * x.</summary>
public sealed class LeakyReLU(float negativeSlope = 0.01f) : Module
{
    public float NegativeSlope { get; } = negativeSlope;
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);
}

/// <summary>nn.ELU: x for x &gt; 0, else alpha (exp(x) - 1).</summary>
public sealed class ELU(float alpha = 1f) : Module
{
    public float Alpha { get; } = alpha;
    public override Tensor Forward(Tensor input) => input.Elu(Alpha);
}

/// <summary>
/// nn.PReLU: a learnt negative slope <c>weight</c> [num_parameters], initialised to
/// <c>init</c> (0.25); one slope shared, or one per channel (axis 1) of [N, C, *].
/// </summary>
public sealed class PReLU : Module
{
    public Tensor Weight { get; }

    public PReLU(int numParameters = 1, float init = 0.25f)
    {
        if (numParameters < 1) throw new ArgumentOutOfRangeException(nameof(numParameters), numParameters, "PReLU: needs at least one parameter");
        Weight = RegisterParameter("weight", Tensor.Full(init, numParameters));
    }

    public override Tensor Forward(Tensor input) => input.Prelu(Weight);
}

/// <summary>nn.Softmax over <paramref name="axis"/>.</summary>
public sealed class Softmax(int axis = -1) : Module
{
    public override Tensor Forward(Tensor input) => input.Softmax(axis);
}
