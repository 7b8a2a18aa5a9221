using System.Numerics.Tensors;

namespace Aver.Tensors;

/// <summary>
/// Multi-head scaled dot-product attention, softmax(Q Kᵀ / √d + mask) V per head (Vaswani et al.
/// 2017, eq. 1), as one autograd op over the packed projections [N, T, 3E] (q | k | v, each split
/// into heads of d = E / heads columns). Every head of every sequence is a handful of small
/// matrix products that read and write their columns in place through leading dimensions, so no
/// permute or split is materialised; heads run in parallel.
/// </summary>
/// <remarks>
/// The weights tensor is a side output whose only parent is the context: its backward leaves its
/// gradient for the context's backward, which always runs after it (see <see cref="LstmLayer"/>).
/// </remarks>
public static class ScaledDotProductAttention
{
    /// <param name="qkv">[N, T, 3E] packed query, key and value projections.</param>
    /// <param name="heads">Number of heads; must divide E.</param>
    /// <param name="keyPaddingMask">[N, T], nonzero on padded keys (they get zero weight), or null.
    /// As in torch, a query whose keys are all padding yields NaN.</param>
    /// <param name="dropout">Probability of dropping an attention weight (inverted dropout); 0 for none.</param>
    /// <param name="rng">Stream for the dropout mask, drawn in [N, heads, T, T] order; needed when dropout &gt; 0.</param>
    /// <returns>Context [N, T, E] (each head's attended values, heads side by side) and the weights
    /// [N, heads, T, T] (softmax of each query over the keys, before dropout).</returns>
    public static (Tensor Context, Tensor Weights) Forward(Tensor qkv, int heads, Tensor? keyPaddingMask = null, float dropout = 0f, RandomStream? rng = null)
    {
        if (qkv.Rank != 3 || heads < 1 || qkv.Dim(2) % (3 * heads) != 0)
            throw new ShapeException($"ScaledDotProductAttention: packed projections {ShapeMath.Format(qkv.Shape)} are not [N, T, 3E] with E a multiple of {heads} heads");
        int n = qkv.Dim(0), t = qkv.Dim(1), e = qkv.Dim(2) / 3, d = e / heads, e3 = 3 * e, tt = t * t;
        if (keyPaddingMask is not null && !(keyPaddingMask.Rank == 2 && keyPaddingMask.Dim(0) == n && keyPaddingMask.Dim(1) == t))
            throw new ShapeException($"ScaledDotProductAttention: key padding mask {ShapeMath.Format(keyPaddingMask.Shape)} is not [{n}, {t}]");
        if (!(dropout >= 0f && dropout < 1f)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "ScaledDotProductAttention: dropout must be in [0, 1)");
        if (dropout > 0f && rng is null) throw new ArgumentNullException(nameof(rng), "ScaledDotProductAttention: dropout needs a random stream");

        float scale = 1f / MathF.Sqrt(d);
        var src = qkv.Data;
        var weights = TensorMemory.Rent(n * heads * tt);
        var context = TensorMemory.Rent(n * t * e);
        // Inverted-dropout multipliers (0 or 1/(1-p)), drawn before the parallel loop so a seed fixes them.
        float[]? keep = null;
        if (dropout > 0f)
        {
            keep = TensorMemory.Rent(weights.Length);
            float s = 1f / (1f - dropout);
            for (int i = 0; i < keep.Length; i++) keep[i] = rng!.NextFloat() < dropout ? 0f : s;
        }
        var mask = keyPaddingMask?.Data;

        Engine.For(n * heads, b =>
        {
            int s = b / heads, h = b % heads, baseQ = s * t * e3 + h * d;
            var p = weights.AsSpan(b * tt, tt);
            Blas.Sgemm(false, true, t, t, d, scale, src.AsSpan(baseQ), e3, src.AsSpan(baseQ + e), e3, 0f, p, t);
            for (int i = 0; i < t; i++)
            {
                var row = p.Slice(i * t, t);
                if (mask is not null)
                    for (int j = 0; j < t; j++) if (mask[s * t + j] != 0f) row[j] = float.NegativeInfinity;
                SoftmaxInPlace(row);
            }
            ReadOnlySpan<float> used = p;
            if (keep is not null)
            {
                var dropped = new float[tt];
                TensorPrimitives.Multiply(p, keep.AsSpan(b * tt, tt), dropped);
                used = dropped;
            }
            Blas.Sgemm(false, false, t, d, t, 1f, used, t, src.AsSpan(baseQ + 2 * e), e3, 0f, context.AsSpan(s * t * e + h * d), e);
        });

        float[]? dWeights = null;
        var ctx = Tensor.FromOp("ScaledDotProductAttention", context, [n, t, e], [qkv], o =>
        {
            var dCtx = o.Grad!;
            var dqkv = new float[qkv.Size];
            Engine.For(n * heads, b =>
            {
                int s = b / heads, h = b % heads, baseQ = s * t * e3 + h * d, baseO = s * t * e + h * d;
                var p = weights.AsSpan(b * tt, tt);
                var k = keep is null ? default : keep.AsSpan(b * tt, tt);
                var dp = new float[tt];
                // dV = dropout(P)ᵀ dO; dP = dO Vᵀ, through the dropout mask, plus the weights' own gradient.
                var used = p.ToArray();
                if (keep is not null) TensorPrimitives.Multiply(used, k, used);
                Blas.Sgemm(true, false, t, d, t, 1f, used, t, dCtx.AsSpan(baseO), e, 0f, dqkv.AsSpan(baseQ + 2 * e), e3);
                Blas.Sgemm(false, true, t, t, d, 1f, dCtx.AsSpan(baseO), e, src.AsSpan(baseQ + 2 * e), e3, 0f, dp, t);
                if (keep is not null) TensorPrimitives.Multiply(dp, k, dp);
                if (dWeights is not null) TensorPrimitives.Add(dp, dWeights.AsSpan(b * tt, tt), dp);
                // Softmax backward per row: dS = P (dP - sum(dP P)); masked keys have P = 0.
                for (int i = 0; i < t; i++)
                {
                    var pr = p.Slice(i * t, t); var dr = dp.AsSpan(i * t, t);
                    float dot = TensorPrimitives.Dot(pr, dr);
                    TensorPrimitives.Subtract(dr, dot, dr);
                    TensorPrimitives.Multiply(dr, pr, dr);
                }
                // dQ = scale dS K; dK = scale dSᵀ Q.
                Blas.Sgemm(false, false, t, d, t, scale, dp, t, src.AsSpan(baseQ + e), e3, 0f, dqkv.AsSpan(baseQ), e3);
                Blas.Sgemm(true, false, t, d, t, scale, dp, t, src.AsSpan(baseQ), e3, 0f, dqkv.AsSpan(baseQ + e), e3);
            });
            qkv.AccumulateGrad(dqkv);
        });
        var w = Tensor.FromOp("AttentionWeights", weights, [n, heads, t, t], [ctx], o => { dWeights = o.ReleaseGrad(); ctx.GradBuffer(); });
        return (ctx, w);
    }

    // Stable softmax of one row; a row of -inf only (every key padded) becomes NaN, as in torch.
    private static void SoftmaxInPlace(Span<float> row)
    {
        float max = TensorPrimitives.Max(row);
        TensorPrimitives.Subtract(row, max, row);
        TensorPrimitives.Exp(row, row);
        TensorPrimitives.Divide(row, TensorPrimitives.Sum(row), row);
    }
}
