using System.Numerics.Tensors;

namespace Aver.Tensors;

/// <summary>
/// Maximum and minimum over all elements or along an axis, with the position of the extreme.
/// Along an axis the gradient goes to the first extreme element (the returned index); over all
/// elements it is shared evenly between ties, as PyTorch does.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>The largest element, as a tensor of shape [].</summary>
    public Tensor Max() => ExtremeAll(max: true);

    /// <summary>The smallest element, as a tensor of shape [].</summary>
    public Tensor Min() => ExtremeAll(max: false);

    /// <summary>
    /// Largest values along <paramref name="axis"/> and their positions (torch.max(x, dim)):
    /// [.., n, ..] -> Values [.., ..] and Indices (integral floats) of the same shape.
    /// </summary>
    public (Tensor Values, Tensor Indices) Max(int axis, bool keepDim = false) => ExtremeAxis(axis, keepDim, max: true);

    /// <summary>Smallest values along <paramref name="axis"/> and their positions (torch.min(x, dim)).</summary>
    public (Tensor Values, Tensor Indices) Min(int axis, bool keepDim = false) => ExtremeAxis(axis, keepDim, max: false);

    /// <summary>Positions of the largest values along <paramref name="axis"/> as integral floats (first one on ties).</summary>
    public Tensor Argmax(int axis, bool keepDim = false)
    {
        using var _ = GradMode.NoGrad();
        return ExtremeAxis(axis, keepDim, max: true).Indices;
    }

    /// <summary>Positions of the smallest values along <paramref name="axis"/> as integral floats.</summary>
    public Tensor Argmin(int axis, bool keepDim = false)
    {
        using var _ = GradMode.NoGrad();
        return ExtremeAxis(axis, keepDim, max: false).Indices;
    }

    private Tensor ExtremeAll(bool max)
    {
        string op = max ? "Max" : "Min";
        if (Size == 0) throw new ShapeException($"{op}: tensor {ShapeMath.Format(_shape)} is empty");
        float v = max ? TensorPrimitives.Max(Data) : TensorPrimitives.Min(Data);
        var a = this;
        return FromOp(op, [v], [], [a], r =>
        {
            int ties = 0;
            foreach (float x in a.Data) if (x == v) ties++;
            float share = r.Grad![0] / ties;
            var g = a.GradBuffer();
            for (int i = 0; i < g.Length; i++) if (a.Data[i] == v) g[i] += share;
        });
    }

    private (Tensor Values, Tensor Indices) ExtremeAxis(int axis, bool keepDim, bool max)
    {
        string op = max ? "MaxAxis" : "MinAxis";
        int ax = ShapeMath.Axis(axis, Rank, op);
        int outer = ShapeMath.Product(_shape, 0, ax), n = _shape[ax], inner = ShapeMath.Product(_shape, ax + 1, Rank);
        if (n == 0) throw new ShapeException($"{op}: dimension {axis} of {ShapeMath.Format(_shape)} is empty");
        var values = TensorMemory.Rent(outer * inner);
        var best = new int[outer * inner];
        var src = Data;
        Engine.For(outer, o =>
        {
            var v = values.AsSpan(o * inner, inner);
            var b = best.AsSpan(o * inner, inner);
            src.AsSpan(o * n * inner, inner).CopyTo(v);
            for (int j = 1; j < n; j++)
            {
                var row = src.AsSpan((o * n + j) * inner, inner);
                for (int i = 0; i < inner; i++)
                    if (max ? row[i] > v[i] : row[i] < v[i]) { v[i] = row[i]; b[i] = j; }
            }
        });
        var shape = ReducedShape(ax, keepDim);
        var indices = new float[best.Length];
        for (int i = 0; i < best.Length; i++) indices[i] = best[i];
        var a = this;
        var result = FromOp(op, values, shape, [a], r =>
        {
            var g = a.GradBuffer();
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                    g[(o * n + best[o * inner + i]) * inner + i] += r.Grad![o * inner + i];
        });
        return (result, new Tensor(indices, (int[])shape.Clone()));
    }
}
