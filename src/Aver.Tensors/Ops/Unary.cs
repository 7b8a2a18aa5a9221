using System.Numerics.Tensors;
using Aver.Tensors.Kernels;

namespace Aver.Tensors;

/// <summary>
/// Elementwise functions whose derivative is a function of input and output:
/// forward y = f(x), backward dx = g * f'(x, y).
/// </summary>
public sealed partial class Tensor
{
    private delegate void SpanMap(ReadOnlySpan<float> x, Span<float> y);
    private delegate void Derivative(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx);

    private Tensor Unary(string op, SpanMap forward, Derivative derivative)
    {
        var data = GC.AllocateUninitializedArray<float>(Size);
        forward(Data, data);
        var a = this;
        return FromOp(op, data, _shape, [a], o =>
        {
            // Every derivative reads g[i] before writing dx[i], so it may run in place.
            var g = o.ReleaseGrad();
            derivative(a.Data, o.Data, g, g);
            a.AccumulateOwnedGrad(g);
        });
    }

    public Tensor Exp() => Unary("Exp", TensorPrimitives.Exp, static (x, y, g, dx) => TensorPrimitives.Multiply(g, y, dx));

    public Tensor Log() => Unary("Log", TensorPrimitives.Log, static (x, y, g, dx) => TensorPrimitives.Divide(g, x, dx));

    public Tensor Sqrt() => Unary("Sqrt", TensorPrimitives.Sqrt, static (x, y, g, dx) =>
    {
        TensorPrimitives.Divide(g, y, dx);
        TensorPrimitives.Multiply(dx, 0.5f, dx);
    });

    public Tensor Abs() => Unary("Abs", TensorPrimitives.Abs, static (x, y, g, dx) =>
    {
        for (int i = 0; i < dx.Length; i++) dx[i] = x[i] > 0 ? g[i] : x[i] < 0 ? -g[i] : 0f;
    });

    public Tensor Relu() => Unary("Relu", static (x, y) => TensorPrimitives.Max(x, 0f, y), static (x, y, g, dx) => MaskKernels.KeepWherePositive(y, g, dx));

    public Tensor Sigmoid() => Unary("Sigmoid", TensorPrimitives.Sigmoid, static (x, y, g, dx) =>
    {
        // s' = s (1 - s)
        for (int i = 0; i < dx.Length; i++) dx[i] = g[i] * y[i] * (1f - y[i]);
    });

    public Tensor Tanh() => Unary("Tanh", TensorPrimitives.Tanh, static (x, y, g, dx) =>
    {
        for (int i = 0; i < dx.Length; i++) dx[i] = g[i] * (1f - y[i] * y[i]);
    });
}
