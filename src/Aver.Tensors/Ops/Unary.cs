using System.Numerics.Tensors;
using Aver.Tensors.Kernels;

namespace Aver.Tensors;

/// <summary>
/// Elementwise functions whose derivative is a function of input and output:
/// forward y = f(x) (TensorPrimitives where it has f, else <see cref="UnaryKernels.Map{TOp}"/>),
/// backward dx = g f'(x, y) through <see cref="UnaryKernels.Gradient{TOp}"/>.
/// </summary>
public sealed partial class Tensor
{
    private delegate void SpanMap(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>f(x) into a new array, f from TensorPrimitives.</summary>
    private float[] Mapped(SpanMap f)
    {
        var y = TensorMemory.Rent(Size);
        f(Data, y);
        return y;
    }

    /// <summary>f(x; a) into a new array, f an operator of the unary family.</summary>
    private float[] Mapped<TOp>(float a) where TOp : IUnaryOperator
    {
        var y = TensorMemory.Rent(Size);
        UnaryKernels.Map<TOp>(Data, a, y);
        return y;
    }

    /// <summary>The result <paramref name="y"/> = f(this; a), differentiated by <typeparamref name="TGrad"/>.</summary>
    private Tensor Unary<TGrad>(string op, float[] y, float a = 0f) where TGrad : IUnaryGradientOperator
    {
        var x = this;
        return FromOp(op, y, _shape, [x], o =>
        {
            // The result's gradient is ours alone, and every rule reads g[i] before writing dx[i]: in place.
            var g = o.ReleaseGrad();
            UnaryKernels.Gradient<TGrad>(x.Data, o.Data, g, a, g);
            x.AccumulateOwnedGrad(g);
        });
    }

    public Tensor Exp() => Unary<ExpGradient>("Exp", Mapped(TensorPrimitives.Exp));

    public Tensor Log() => Unary<LogGradient>("Log", Mapped(TensorPrimitives.Log));

    public Tensor Sqrt() => Unary<SqrtGradient>("Sqrt", Mapped(TensorPrimitives.Sqrt));

    public Tensor Abs() => Unary<AbsGradient>("Abs", Mapped(TensorPrimitives.Abs));

    public Tensor Relu() => Unary<ReluGradient>("Relu", Mapped(ReluForward));

    /// <summary>max(x, 0), NaN staying NaN (TensorPrimitives.Max propagates it).</summary>
    private static void ReluForward(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);

    public Tensor Sigmoid() => Unary<SigmoidGradient>("Sigmoid", Mapped(TensorPrimitives.Sigmoid));

    public Tensor Tanh() => Unary<TanhGradient>("Tanh", Mapped(TensorPrimitives.Tanh));
}
