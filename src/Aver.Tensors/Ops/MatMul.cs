using System.Numerics.Tensors;

namespace Aver.Tensors;

/// <summary>Matrix products through <see cref="Blas.Sgemm(bool,bool,int,int,int,ReadOnlySpan{float},ReadOnlySpan{float},Span{float},float)"/>.</summary>
public sealed partial class Tensor
{
    /// <summary>
    /// [..., m, k] @ [..., k, n] -> [..., m, n]. Batch dimensions must be equal, or the right
    /// operand is a plain [k, n] matrix shared by every batch item.
    /// </summary>
    public Tensor MatMul(Tensor other)
    {
        if (Rank < 2 || other.Rank < 2)
            throw new ShapeException($"MatMul: needs rank >= 2, got {ShapeMath.Format(_shape)} and {ShapeMath.Format(other._shape)}");
        int m = _shape[^2], k = _shape[^1], k2 = other._shape[^2], n = other._shape[^1];
        bool shared = other.Rank == 2;
        if (k != k2 || (!shared && !_shape.AsSpan(0, _shape.Length - 2).SequenceEqual(other._shape.AsSpan(0, other._shape.Length - 2))))
            throw new ShapeException($"MatMul: shapes {ShapeMath.Format(_shape)} and {ShapeMath.Format(other._shape)} do not multiply");
        int batch = ShapeMath.Product(_shape, 0, Rank - 2);
        var shape = (int[])_shape.Clone();
        shape[^1] = n;
        var c = TensorMemory.Rent(batch * m * n);
        var a = this;
        if (shared) Blas.Sgemm(false, false, batch * m, n, k, Data, other.Data, c);
        else for (int i = 0; i < batch; i++)
            Blas.Sgemm(false, false, m, n, k, Data.AsSpan(i * m * k, m * k), other.Data.AsSpan(i * k * n, k * n), c.AsSpan(i * m * n, m * n));
        return FromOp("MatMul", c, shape, [a, other], o =>
        {
            if (a.RequiresGrad)
            {   // dA = dC B^T
                var ga = a.GradBuffer();
                if (shared) Blas.Sgemm(false, true, batch * m, k, n, o.Grad, other.Data, ga, beta: 1f);
                else for (int i = 0; i < batch; i++)
                    Blas.Sgemm(false, true, m, k, n, o.Grad.AsSpan(i * m * n, m * n), other.Data.AsSpan(i * k * n, k * n), ga.AsSpan(i * m * k, m * k), 1f);
            }
            if (other.RequiresGrad)
            {   // dB = A^T dC (summed over the batch when B is shared)
                var gb = other.GradBuffer();
                if (shared) Blas.Sgemm(true, false, k, n, batch * m, a.Data, o.Grad, gb, beta: 1f);
                else for (int i = 0; i < batch; i++)
                    Blas.Sgemm(true, false, k, n, m, a.Data.AsSpan(i * m * k, m * k), o.Grad.AsSpan(i * m * n, m * n), gb.AsSpan(i * k * n, k * n), 1f);
            }
        });
    }

    /// <summary>
    /// y = x W^T + b (PyTorch's <c>F.linear</c>): x is [..., in], <paramref name="weight"/> [out, in],
    /// <paramref name="bias"/> [out] or null.
    /// </summary>
    public Tensor Linear(Tensor weight, Tensor? bias = null)
    {
        if (weight.Rank != 2 || Rank < 1 || _shape[^1] != weight._shape[1])
            throw new ShapeException($"Linear: input {ShapeMath.Format(_shape)} does not match weight {ShapeMath.Format(weight._shape)} (expects [..., {(weight.Rank == 2 ? weight._shape[1] : -1)}])");
        int inF = weight._shape[1], outF = weight._shape[0];
        if (bias is not null && (bias.Rank != 1 || bias._shape[0] != outF))
            throw new ShapeException($"Linear: bias {ShapeMath.Format(bias._shape)} does not match {outF} outputs");
        int rows = Size / Math.Max(inF, 1);
        var shape = (int[])_shape.Clone();
        shape[^1] = outF;
        var y = TensorMemory.Rent(rows * outF);
        if (bias is not null) for (int r = 0; r < rows; r++) bias.Data.CopyTo(y, r * outF);
        Blas.Sgemm(false, true, rows, outF, inF, Data, weight.Data, y, beta: bias is null ? 0f : 1f);
        var x = this;
        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return FromOp("Linear", y, shape, inputs, o =>
        {
            var g = o.Grad!;
            if (x.RequiresGrad) Blas.Sgemm(false, false, rows, inF, outF, g, weight.Data, x.GradBuffer(), beta: 1f);
            if (weight.RequiresGrad) Blas.Sgemm(true, false, outF, inF, rows, g, x.Data, weight.GradBuffer(), beta: 1f);
            if (bias is not null && bias.RequiresGrad)
            {
                var gb = bias.GradBuffer();
                for (int r = 0; r < rows; r++) TensorPrimitives.Add(gb, g.AsSpan(r * outF, outF), gb);
            }
        });
    }
}
