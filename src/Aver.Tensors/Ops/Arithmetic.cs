using System.Numerics.Tensors;
using Aver.Tensors.Kernels;

namespace Aver.Tensors;

/// <summary>Broadcasting elementwise arithmetic; each backward sums its gradient back to the input's shape.</summary>
public sealed partial class Tensor
{
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator -(Tensor a) => a.Neg();
    public static Tensor operator +(Tensor a, float b) => a.Add(b);
    public static Tensor operator -(Tensor a, float b) => a.Add(-b);
    public static Tensor operator *(Tensor a, float b) => a.Mul(b);
    public static Tensor operator /(Tensor a, float b) => a.Mul(1f / b);
    public static Tensor operator +(float a, Tensor b) => b.Add(a);
    public static Tensor operator -(float a, Tensor b) => b.Neg().Add(a);
    public static Tensor operator *(float a, Tensor b) => b.Mul(a);

    private Tensor Binary<TOp>(string op, Tensor other, Action<Tensor, Tensor, Tensor> backward) where TOp : IBinaryOperator
    {
        var shape = ShapeMath.Broadcast(_shape, other._shape, op);
        var data = TensorMemory.Rent(ShapeMath.Size(shape));
        Broadcasting.Apply<TOp>(Data, _shape, other.Data, other._shape, data, shape);
        var a = this;
        return FromOp(op, data, shape, [a, other], o => backward(a, other, o));
    }

    /// <summary>Adds <paramref name="g"/> (shaped like <paramref name="o"/>) into t's gradient, summing broadcast axes.</summary>
    internal static void AccumulateBroadcastGrad(Tensor t, ReadOnlySpan<float> g, Tensor o)
    {
        if (!t.RequiresGrad) return;
        if (g.Length == t.Size) t.AccumulateGrad(g);  // no broadcast axes: a copy or an add, not zero-fill and add
        else Broadcasting.SumTo(g, o._shape, t.GradBuffer(), t._shape);
    }

    public Tensor Add(Tensor other) => Binary<AddOperator>("Add", other, static (a, b, o) =>
    {
        AccumulateBroadcastGrad(b, o.Grad, o);
        // Without broadcasting, a's gradient is o's own: hand the array over instead of copying it.
        if (a.RequiresGrad && a.Size == o.Size) a.AccumulateOwnedGrad(o.ReleaseGrad());
        else AccumulateBroadcastGrad(a, o.Grad, o);
    });

    public Tensor Sub(Tensor other) => Binary<SubtractOperator>("Sub", other, static (a, b, o) =>
    {
        AccumulateBroadcastGrad(a, o.Grad, o);
        if (!b.RequiresGrad) return;
        var neg = TensorMemory.Rent(o.Size);
        TensorPrimitives.Negate(o.Grad, neg);
        AccumulateBroadcastGrad(b, neg, o);
    });

    public Tensor Mul(Tensor other) => Binary<MultiplyOperator>("Mul", other, static (a, b, o) =>
    {
        var tmp = TensorMemory.Rent(o.Size);
        if (a.RequiresGrad)
        {
            Broadcasting.Apply<MultiplyOperator>(o.Grad, o._shape, b.Data, b._shape, tmp, o._shape);
            AccumulateBroadcastGrad(a, tmp, o);
        }
        if (b.RequiresGrad)
        {
            Broadcasting.Apply<MultiplyOperator>(o.Grad, o._shape, a.Data, a._shape, tmp, o._shape);
            AccumulateBroadcastGrad(b, tmp, o);
        }
    });

    public Tensor Div(Tensor other) => Binary<DivideOperator>("Div", other, static (a, b, o) =>
    {
        var tmp = TensorMemory.Rent(o.Size);
        if (a.RequiresGrad)
        {
            Broadcasting.Apply<DivideOperator>(o.Grad, o._shape, b.Data, b._shape, tmp, o._shape);
            AccumulateBroadcastGrad(a, tmp, o);
        }
        if (b.RequiresGrad)
        {
            // d(a/b)/db = -(a/b)/b = -o/b
            Broadcasting.Apply<DivideOperator>(o.Data, o._shape, b.Data, b._shape, tmp, o._shape);
            TensorPrimitives.Multiply(tmp, o.Grad, tmp);
            TensorPrimitives.Negate(tmp, tmp);
            AccumulateBroadcastGrad(b, tmp, o);
        }
    });

    /// <summary>Elementwise maximum; the gradient goes to the larger input (to <c>this</c> on ties).</summary>
    public Tensor Maximum(Tensor other) => Binary<MaximumOperator>("Maximum", other, static (a, b, o) =>
    {
        var ga = new float[o.Size];
        var gb = new float[o.Size];
        var av = new float[o.Size];
        Broadcasting.Apply<AddOperator>(a.Data, a._shape, [0f], [1], av, o._shape);
        for (int i = 0; i < o.Size; i++)
        {
            if (av[i] >= o.Data[i]) ga[i] = o.Grad![i]; else gb[i] = o.Grad![i];
        }
        AccumulateBroadcastGrad(a, ga, o);
        AccumulateBroadcastGrad(b, gb, o);
    });

    public Tensor Add(float s)
    {
        var data = TensorMemory.Rent(Size);
        TensorPrimitives.Add(Data, s, data);
        var a = this;
        return FromOp("AddScalar", data, _shape, [a], o => a.AccumulateGrad(o.Grad));
    }

    public Tensor Mul(float s)
    {
        var data = TensorMemory.Rent(Size);
        TensorPrimitives.Multiply(Data, s, data);
        var a = this;
        return FromOp("MulScalar", data, _shape, [a], o =>
        {
            var g = TensorMemory.Rent(o.Size);
            TensorPrimitives.Multiply(o.Grad, s, g);
            a.AccumulateGrad(g);
        });
    }

    public Tensor Neg() => Mul(-1f);

    /// <summary>x^p elementwise for a constant exponent.</summary>
    public Tensor Pow(float p)
    {
        var data = TensorMemory.Rent(Size);
        TensorPrimitives.Pow(Data, p, data);
        var a = this;
        return FromOp("Pow", data, _shape, [a], o =>
        {
            var g = TensorMemory.Rent(o.Size);
            TensorPrimitives.Pow(a.Data, p - 1f, g);
            TensorPrimitives.Multiply(g, p, g);
            TensorPrimitives.Multiply(g, o.Grad, g);
            a.AccumulateGrad(g);
        });
    }

    public Tensor Square() => Mul(this);
}
