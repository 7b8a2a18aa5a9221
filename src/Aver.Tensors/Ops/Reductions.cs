using System.Numerics.Tensors;

namespace Aver.Tensors;

/// <summary>Sum and mean over all elements or over axes.</summary>
public sealed partial class Tensor
{
    /// <summary>Sum of all elements, as a one-element tensor of shape [].</summary>
    public Tensor Sum()
    {
        var a = this;
        return FromOp("Sum", [TensorPrimitives.Sum(Data)], [], [a], o =>
        {
            var g = TensorMemory.Rent(a.Size);
            Array.Fill(g, o.Grad![0]);
            a.AccumulateGrad(g);
        });
    }

    /// <summary>Mean of all elements, as a one-element tensor of shape [].</summary>
    public Tensor Mean() => Sum().Mul(1f / Math.Max(Size, 1));

    /// <summary>Sum over <paramref name="axis"/>; the axis is kept with size 1 when <paramref name="keepDim"/>.</summary>
    public Tensor Sum(int axis, bool keepDim = false)
    {
        int ax = ShapeMath.Axis(axis, Rank, "Sum");
        int outer = ShapeMath.Product(_shape, 0, ax), n = _shape[ax], inner = ShapeMath.Product(_shape, ax + 1, Rank);
        var data = new float[outer * inner];
        for (int o = 0; o < outer; o++)
        {
            var dst = data.AsSpan(o * inner, inner);
            for (int i = 0; i < n; i++) TensorPrimitives.Add(dst, Data.AsSpan((o * n + i) * inner, inner), dst);
        }
        var a = this;
        return FromOp("SumAxis", data, ReducedShape(ax, keepDim), [a], r =>
        {
            var g = a.GradBuffer();
            for (int o = 0; o < outer; o++)
            {
                var src = r.Grad.AsSpan(o * inner, inner);
                for (int i = 0; i < n; i++)
                {
                    var dst = g.AsSpan((o * n + i) * inner, inner);
                    TensorPrimitives.Add(dst, src, dst);
                }
            }
        });
    }

    /// <summary>Mean over <paramref name="axis"/>.</summary>
    public Tensor Mean(int axis, bool keepDim = false)
    {
        int n = Dim(axis);
        return Sum(axis, keepDim).Mul(1f / Math.Max(n, 1));
    }

    internal int[] ReducedShape(int ax, bool keepDim)
    {
        var list = new List<int>(_shape);
        if (keepDim) list[ax] = 1; else list.RemoveAt(ax);
        return list.ToArray();
    }
}
