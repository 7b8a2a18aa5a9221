using System.Numerics.Tensors;

namespace Aver.Tensors;

/// <summary>Layer normalisation over the trailing dimensions (F.layer_norm), with a fused backward.</summary>
public sealed partial class Tensor
{
    /// <summary>
    /// y = (x - mean) / sqrt(var + eps) * weight + bias, with mean and biased variance taken over
    /// the last <paramref name="normalizedShape"/>.Length dimensions, which must equal
    /// <paramref name="normalizedShape"/>. <paramref name="weight"/> and <paramref name="bias"/>
    /// (optional) have that shape.
    /// </summary>
    public Tensor LayerNorm(int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        int k = normalizedShape.Length;
        bool fits = k >= 1 && k <= Rank && _shape.AsSpan(Rank - k).SequenceEqual(normalizedShape);
        if (!fits) throw new ShapeException($"LayerNorm: input {ShapeMath.Format(_shape)} does not end in normalized shape {ShapeMath.Format(normalizedShape)}");
        foreach (var p in new[] { weight, bias })
            if (p is not null && !ShapeMath.SameShape(p._shape, normalizedShape))
                throw new ShapeException($"LayerNorm: parameter {p.Describe()} does not have normalized shape {ShapeMath.Format(normalizedShape)}");
        int d = ShapeMath.Size(normalizedShape), rows = d == 0 ? 0 : Size / d;
        var y = TensorMemory.Rent(Size);
        var mean = new float[rows];
        var rstd = new float[rows];
        var x = Data;
        float[]? w = weight?.Data, b = bias?.Data;
        Engine.For(rows, r =>
        {
            var xr = x.AsSpan(r * d, d);
            var yr = y.AsSpan(r * d, d);
            float m = TensorPrimitives.Sum(xr) / d;
            TensorPrimitives.Subtract(xr, m, yr);
            float s = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(yr) / d + eps);
            TensorPrimitives.Multiply(yr, s, yr);
            if (w is not null) TensorPrimitives.Multiply(yr, w, yr);
            if (b is not null) TensorPrimitives.Add(yr, b, yr);
            mean[r] = m; rstd[r] = s;
        });
        var a = this;
        return FromOp("LayerNorm", y, (int[])_shape.Clone(), WithAffine(a, weight, bias), o =>
        {
            var g = o.Grad!;
            var dx = a.RequiresGrad ? TensorMemory.Rent(a.Size) : null;
            bool needW = weight is { RequiresGrad: true };
            var xhat = needW ? TensorMemory.Rent(a.Size) : null;
            Engine.For(rows, r =>
            {
                Span<float> buf = d <= 2048 ? stackalloc float[d] : new float[d];
                Span<float> dxhat = d <= 2048 ? stackalloc float[d] : new float[d];
                var xr = x.AsSpan(r * d, d);
                var gr = g.AsSpan(r * d, d);
                TensorPrimitives.Subtract(xr, mean[r], buf);
                TensorPrimitives.Multiply(buf, rstd[r], buf); // buf = xhat
                if (xhat is not null) buf.CopyTo(xhat.AsSpan(r * d, d));
                if (dx is null) return;
                if (w is not null) TensorPrimitives.Multiply(gr, w, dxhat); else gr.CopyTo(dxhat);
                // dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
                float meanG = TensorPrimitives.Sum(dxhat) / d;
                float meanGx = TensorPrimitives.Dot(dxhat, buf) / d;
                var dr = dx.AsSpan(r * d, d);
                TensorPrimitives.Multiply(buf, -meanGx, dr);
                TensorPrimitives.Add(dr, dxhat, dr);
                TensorPrimitives.Add(dr, -meanG, dr);
                TensorPrimitives.Multiply(dr, rstd[r], dr);
            });
            if (dx is not null) a.AccumulateOwnedGrad(dx);
            if (needW)
            {
                var gw = weight!.GradBuffer();
                for (int r = 0; r < rows; r++) TensorPrimitives.FusedMultiplyAdd(g.AsSpan(r * d, d), xhat.AsSpan(r * d, d), gw, gw);
            }
            if (bias is { RequiresGrad: true })
            {
                var gb = bias.GradBuffer();
                for (int r = 0; r < rows; r++) TensorPrimitives.Add(gb, g.AsSpan(r * d, d), gb);
            }
        });
    }

    /// <summary>The input followed by whichever of the affine parameters are present, for <see cref="FromOp"/>.</summary>
    private static Tensor[] WithAffine(Tensor input, Tensor? weight, Tensor? bias) =>
        weight is null ? (bias is null ? [input] : [input, bias]) : (bias is null ? [input, weight] : [input, weight, bias]);
}
