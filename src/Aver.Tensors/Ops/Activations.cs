using Aver.Tensors.Kernels;

namespace Aver.Tensors;

/// <summary>Activations beyond the basic unary ones: GELU (exact and tanh), LeakyReLU, ELU, PReLU.</summary>
public sealed partial class Tensor
{
    /// <summary>
    /// GELU: x * Phi(x) with the exact normal CDF (PyTorch's default,
    /// <c>approximate='none'</c>), or the tanh approximation when <paramref name="tanhApproximation"/>.
    /// </summary>
    public Tensor Gelu(bool tanhApproximation = false) => tanhApproximation
        ? Unary<GeluTanhGradient>("GeluTanh", Mapped<GeluTanhOperator>(0f))
        : GeluExact();

    private Tensor GeluExact()
    {
        var y = TensorMemory.Rent(Size);
        GeluKernel.Forward(Data, y);
        var a = this;
        return FromOp("Gelu", y, (int[])_shape.Clone(), [a], o =>
        {
            var dx = TensorMemory.Rent(a.Size);
            GeluKernel.Backward(a.Data, o.Grad!, dx);
            a.AccumulateOwnedGrad(dx);
        });
    }

    /// <summary>LeakyReLU: x for x &gt; 0, else <paramref name="negativeSlope"/> * x.</summary>
    public Tensor LeakyRelu(float negativeSlope = 0.01f) =>
        Unary<LeakyReluGradient>("LeakyRelu", Mapped<LeakyReluOperator>(negativeSlope), negativeSlope);

    /// <summary>ELU: x for x &gt; 0, else alpha (exp(x) - 1).</summary>
    public Tensor Elu(float alpha = 1f) => Unary<EluGradient>("Elu", Mapped<EluOperator>(alpha), alpha);

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
        var y = TensorMemory.Rent(Size);
        var x = Data;
        var w = weight.Data;
        Engine.For(blocks, blk =>
        {
            UnaryKernels.Map<LeakyReluOperator>(x.AsSpan(blk * inner, inner), w[blk % channels], y.AsSpan(blk * inner, inner));
        });
        var a = this;
        return FromOp("Prelu", y, (int[])_shape.Clone(), [a, weight], r =>
        {
            var g = r.Grad!;
            var dx = a.RequiresGrad ? TensorMemory.Rent(a.Size) : null;
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
