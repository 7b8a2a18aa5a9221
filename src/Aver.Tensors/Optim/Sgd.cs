using System.Numerics.Tensors;

namespace Aver.Tensors.Optim;

/// <summary>
/// Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay,
/// computing exactly PyTorch's <c>torch.optim.SGD</c> update:
/// d = g + wd·p; b = d (first step) or μ·b + (1 − τ)·d; d = d + μ·b (Nesterov) or b; p = p − lr·d.
/// </summary>
public sealed class Sgd : Optimizer
{
    private const string MomentumBuffer = "momentum_buffer";

    public double Momentum { get; }
    public double Dampening { get; }
    public bool Nesterov { get; }

    /// <summary>One group over <paramref name="parameters"/>.</summary>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false)
        : this(OneGroup(parameters), learningRate, momentum, dampening, weightDecay, nesterov) { }

    /// <summary>Several groups; a group's null learning rate or weight decay takes the value given here.</summary>
    public Sgd(IEnumerable<ParamGroup> groups, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false)
        : base(groups, learningRate, weightDecay)
    {
        CheckHyper(momentum, "momentum");
        CheckHyper(dampening, "dampening");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"Sgd: Nesterov momentum needs momentum > 0 and dampening 0 (got momentum {momentum}, dampening {dampening})");
        Momentum = momentum;
        Dampening = dampening;
        Nesterov = nesterov;
    }

    protected override void Update(int index, Span<float> param, ReadOnlySpan<float> grad, ParamGroup group)
    {
        ReadOnlySpan<float> d = grad;
        if (group.WeightDecay != 0)
        {
            var decayed = ScratchA(param.Length);
            TensorPrimitives.MultiplyAdd(param, (float)group.WeightDecay, grad, decayed);
            d = decayed;
        }
        if (Momentum != 0)
        {
            if (TryGetBuffer(index, MomentumBuffer, out var buf))
            {
                TensorPrimitives.Multiply(buf, (float)Momentum, buf);
                TensorPrimitives.MultiplyAdd(d, (float)(1 - Dampening), buf, buf);
            }
            else d.CopyTo(buf = Buffer(index, MomentumBuffer));
            if (Nesterov)
            {
                var look = ScratchB(param.Length);
                TensorPrimitives.MultiplyAdd(buf, (float)Momentum, d, look);
                d = look;
            }
            else d = buf;
        }
        TensorPrimitives.MultiplyAdd(d, (float)-group.LearningRate, param, param);
    }
}
