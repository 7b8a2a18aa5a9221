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

    protected override void Update(int index, float[] param, float[] grad, ParamGroup group)
    {
        float wd = (float)group.WeightDecay, lr = (float)group.LearningRate;
        float mu = (float)Momentum, keep = (float)(1 - Dampening);
        bool first = false;
        float[]? buf = null;
        if (Momentum != 0 && !TryGetBuffer(index, MomentumBuffer, out buf)) { buf = Buffer(index, MomentumBuffer); first = true; }
        var decayed = ScratchA(param.Length);
        var nesterov = ScratchB(param.Length);
        ForEachChunk(param.Length, (start, n) =>
        {
            var p = param.AsSpan(start, n);
            ReadOnlySpan<float> d = grad.AsSpan(start, n);
            if (wd != 0)
            {
                var dd = decayed.AsSpan(start, n);
                TensorPrimitives.MultiplyAdd(p, wd, d, dd);
                d = dd;
            }
            if (buf is not null)
            {
                var b = buf.AsSpan(start, n);
                if (first) d.CopyTo(b); // PyTorch starts the buffer at the first gradient, undampened
                else
                {
                    TensorPrimitives.Multiply(b, mu, b);
                    TensorPrimitives.MultiplyAdd(d, keep, b, b);
                }
                if (Nesterov)
                {
                    var look = nesterov.AsSpan(start, n);
                    TensorPrimitives.MultiplyAdd(b, mu, d, look);
                    d = look;
                }
                else d = b;
            }
            TensorPrimitives.MultiplyAdd(d, -lr, p, p);
        });
    }
}
