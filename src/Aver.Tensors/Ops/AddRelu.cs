using Aver.Tensors.Kernels;

namespace Aver.Tensors;

/// <summary>ReLU of a sum in one pass: the end of a residual block, <c>(y + shortcut).Relu()</c>.</summary>
public sealed partial class Tensor
{
    // Elements per parallel task: large enough to amortise the task, small enough to share out.
    private const int ElementwiseChunk = 1 << 16;

    /// <summary>
    /// max(this + other, 0), equal to <c>(this + other).Relu()</c> (NaN stays NaN) without the
    /// intermediate sum; shapes that need broadcasting take that composition.
    /// </summary>
    public Tensor AddRelu(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ShapeMath.SameShape(_shape, other._shape)) return Add(other).Relu();
        var y = TensorMemory.Rent(Size);
        var xa = Data; var xb = other.Data;
        int chunks = (Size + ElementwiseChunk - 1) / ElementwiseChunk;
        Engine.For(chunks, k =>
        {
            int start = k * ElementwiseChunk, length = Math.Min(ElementwiseChunk, xa.Length - start);
            AffineKernels.Apply<AddReluOperator>(xa.AsSpan(start, length), xb.AsSpan(start, length), 1f, 1f, 0f, y.AsSpan(start, length));
        });
        var a = this;
        return FromOp("AddRelu", y, (int[])_shape.Clone(), [a, other], o =>
        {
            // The result's gradient is ours alone: ReLU's mask goes on in place, then the array
            // is handed to one input and copied (or added) into the other.
            var g = o.ReleaseGrad();
            var yOut = o.Data;
            Engine.For(chunks, k =>
            {
                int start = k * ElementwiseChunk, length = Math.Min(ElementwiseChunk, g.Length - start);
                UnaryKernels.Gradient<ReluGradient>(default, yOut.AsSpan(start, length), g.AsSpan(start, length), 0f, g.AsSpan(start, length));
            });
            if (other.RequiresGrad && a.RequiresGrad) other.AccumulateGrad(g);
            else if (other.RequiresGrad) other.AccumulateOwnedGrad(g);
            if (a.RequiresGrad) a.AccumulateOwnedGrad(g);
        });
    }
}
