using Aver.Tensors.Kernels;

namespace Aver.Tensors;

/// <summary>
/// No-grad forms of ops that write over this tensor instead of allocating (the ONNX executor uses them
/// on values the graph no longer needs), through the same kernels as the ops themselves.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>max(x, 0) written over this tensor; <see cref="Relu"/>'s kernel.</summary>
    internal Tensor ReluInPlace()
    {
        ThrowIfRecorded("ReluInPlace");
        ReluForward(Data, Data);
        return this;
    }

    /// <summary>this + other written over this tensor (same shapes); <see cref="Add(Tensor)"/>'s kernel.</summary>
    internal Tensor AddInPlace(Tensor other)
    {
        ThrowIfRecorded("AddInPlace");
        if (!ShapeMath.SameShape(_shape, other._shape)) throw new ShapeException($"AddInPlace: {other.Describe()} does not match {Describe()}");
        Broadcasting.Apply<AddOperator>(Data, _shape, other.Data, other._shape, Data, _shape);
        return this;
    }

    private void ThrowIfRecorded(string op)
    {
        if (GradMode.IsEnabled && RequiresGrad) throw new InvalidOperationException($"{op}: {Describe()} requires grad; in-place ops run without autograd only");
    }
}
