using Aver.Tensors.Kernels;

namespace Aver.Tensors;

/// <summary>Activations beyond the basic unary ones: GELU (exact and tanh), LeakyReLU, ELU, PReLU.</summary>
public sealed partial class Tensor
{
    private const float Sqrt2OverPi = 0.79788456080286536f;
    private const float GeluTanhCubic = 0.044715f;

    /// <summary>
    /// GELU: x * Phi(x) with the exact normal CDF (PyTorch's default,
    /// <c>approximate='none'</c>), or the tanh approximation when <paramref name="tanhApproximation"/>.
    /// </summary>
    public Tensor Gelu(bool tanhApproximation = false) => tanhApproximation
        ? Unary("GeluTanh", static (x, y) =>
            {
                for (int i = 0; i < x.Length; i++)
                {
                    float v = x[i];
                    y[i] = 0.5f * v * (1f + MathF.Tanh(Sqrt2OverPi * (v + GeluTanhCubic * v * v * v)));
                }
            }, static (x, y, g, dx) =>
            {
                for (int i = 0; i < x.Length; i++)
                {
                    float v = x[i];
                    float t = MathF.Tanh(Sqrt2OverPi * (v + GeluTanhCubic * v * v * v));
                    float dInner = Sqrt2OverPi * (1f + 3f * GeluTanhCubic * v * v);
                    dx[i] = g[i] * (0.5f * (1f + t) + 0.5f * v * (1f - t * t) * dInner);
                }
            })
        : GeluExact();

    private Tensor GeluExact()
    {
        var y = GC.AllocateUninitializedArray<float>(Size);
        GeluKernel.Forward(Data, y);
        var a = this;
        return FromOp("Gelu", y, (int[])_shape.Clone(), [a], o =>
        {
            var dx = GC.AllocateUninitializedArray<float>(a.Size);
            GeluKernel.Backward(a.Data, o.Grad!, dx);
            a.AccumulateOwnedGrad(dx);
        });
    }

    /// <summary>LeakyReLU: x for x &gt; 0, else <paramref name="negativeSlope"/> * x.</summary>
    public Tensor LeakyRelu(float negativeSlope = 0.01f) => Unary("LeakyRelu",
        (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : negativeSlope * x[i]; },
        (x, y, g, dx) => { for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0 ? g[i] : negativeSlope * g[i]; });

    /// <summary>ELU: x for x &gt; 0, else alpha (exp(x) - 1).</summary>
    public Tensor Elu(float alpha = 1f) => Unary("Elu",
        (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : alpha * (MathF.Exp(x[i]) - 1f); },
        (x, y, g, dx) => { for (int i = 0; i < x.Length; i++) dx[i] = x[i] > 0 ? g[i] : g[i] * (y[i] + alpha); });

    /// <summary>
    /// PReLU: x for x &gt; 0, else weight[c] * x, where c is the channel (axis 1) when
    /// <paramref name="weight"/> has C elements, or the one shared slope when it has 1.
    /// </summary>
    public Tensor Prelu(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        int channels = weight.Size;
        if (weight.Rank != 1 || (channels != 1 && (Rank < 2 || _shape[1] != channels)))
            throw new ShapeException($"Prelu: weight {ShapeMath.Format(weight._shape)} needs 1 element or one per channel (axis 1) of input {ShapeMath.Format(_shape)}");
        // Blocks of one (sample, channel) pair, or rows of the first axis for a shared slope.
        int outer = Rank == 0 ? 1 : _shape[0];
        int inner = outer == 0 ? 0 : (channels == 1 ? Size / outer : ShapeMath.Product(_shape, 2, Rank));
        int blocks = outer * channels;
        var y = GC.AllocateUninitializedArray<float>(Size);
        var x = Data;
        var w = weight.Data;
        Engine.For(blocks, blk =>
        {
            float slope = w[blk % channels];
            var xs = x.AsSpan(blk * inner, inner);
            var ys = y.AsSpan(blk * inner, inner);
            for (int i = 0; i < inner; i++) ys[i] = xs[i] > 0 ? xs[i] : slope * xs[i];
        });
        var a = this;
        return FromOp("Prelu", y, (int[])_shape.Clone(), [a, weight], r =>
        {
            var g = r.Grad!;
            var dx = a.RequiresGrad ? GC.AllocateUninitializedArray<float>(a.Size) : null;
            var partial = new double[blocks]; // d loss / d slope from each block, summed per channel below
            Engine.For(blocks, blk =>
            {
                float slope = w[blk % channels];
                double sw = 0;
                for (int i = blk * inner, end = i + inner; i < end; i++)
                {
                    bool pos = x[i] > 0;
                    if (dx is not null) dx[i] = pos ? g[i] : slope * g[i];
                    if (!pos) sw += g[i] * x[i];
                }
                partial[blk] = sw;
            });
            if (weight.RequiresGrad)
            {
                var dw = weight.GradBuffer();
                for (int blk = 0; blk < blocks; blk++) dw[blk % channels] += (float)partial[blk];
            }
            if (dx is not null) a.AccumulateOwnedGrad(dx);
        });
    }
}
