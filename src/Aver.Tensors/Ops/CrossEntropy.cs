using System.Numerics.Tensors;

namespace Aver.Tensors;

/// <summary>Cross-entropy on logits, with class-index or probability targets.</summary>
public static partial class Losses
{
    /// <summary>
    /// F.cross_entropy(logits, targets, weight, ignore_index, reduction, label_smoothing) for
    /// logits [N, C] and targets [N]. With smoothing e and weights w, sample i costs
    /// (1 - e) w[t_i] (-log p[i, t_i]) + (e / C) sum_c w[c] (-log p[i, c]); the mean divides the
    /// sum by sum_i w[t_i] over non-ignored samples (PyTorch's weighted mean; without weights,
    /// by their count).
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlySpan<int> targets, Tensor? weight = null,
        float labelSmoothing = 0f, Reduction reduction = Reduction.Mean, int ignoreIndex = IgnoreIndex)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "CrossEntropy: label smoothing must be in [0, 1]");
        var (n, c, t, w) = CheckClassTargets("CrossEntropy", logits, targets, weight, ignoreIndex);
        var logp = LogSoftmaxRows(logits.Data, n, c);
        var perSample = new float[n];
        var sampleWeight = new float[n]; // w[t_i], 0 when ignored: the weighted mean's denominator
        float e = labelSmoothing, ec = labelSmoothing / c;
        Engine.For(n, i =>
        {
            var lp = logp.AsSpan(i * c, c);
            if (t[i] == ignoreIndex) return;
            float wt = w?[t[i]] ?? 1f;
            float smooth = e == 0f ? 0f : -(w is null ? TensorPrimitives.Sum(lp) : TensorPrimitives.Dot(lp, w));
            perSample[i] = (1f - e) * wt * -lp[t[i]] + ec * smooth;
            sampleWeight[i] = wt;
        });
        var (value, scale) = Reduce(perSample, sampleWeight, reduction);
        return Tensor.FromOp("CrossEntropy", value, reduction == Reduction.None ? [n] : [], [logits], o =>
        {
            var g = o.Grad!;
            var dx = TensorMemory.Rent(n * c);
            Engine.For(n, i =>
            {
                var d = dx.AsSpan(i * c, c);
                if (t[i] == ignoreIndex) { d.Clear(); return; }
                float s = reduction == Reduction.None ? g[i] : g[0] * scale;
                // loss_i = -sum_c q_c log p_c with q_c = (1 - e) w[t] [c == t] + (e / C) w[c];
                // d loss_i / dx_j = p_j sum_c q_c - q_j
                float qt = (1f - e) * (w?[t[i]] ?? 1f);
                float total = qt + ec * (w is null ? c : TensorPrimitives.Sum(w));
                TensorPrimitives.Exp(logp.AsSpan(i * c, c), d);
                TensorPrimitives.Multiply(d, total, d);
                if (ec != 0f)
                {
                    if (w is null) TensorPrimitives.Subtract(d, ec, d);
                    else TensorPrimitives.MultiplyAdd(w, -ec, d, d);
                }
                d[t[i]] -= qt;
                TensorPrimitives.Multiply(d, s, d);
            });
            logits.AccumulateOwnedGrad(dx);
        });
    }

    /// <summary>
    /// CrossEntropy with a target tensor, read as PyTorch does: class indices [N] (integral
    /// floats), or class probabilities [N, C] when it has the logits' shape (see
    /// <see cref="CrossEntropyProbabilities"/>; ignoreIndex does not apply to them).
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets, Tensor? weight = null,
        float labelSmoothing = 0f, Reduction reduction = Reduction.Mean, int ignoreIndex = IgnoreIndex)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return targets.Rank == 2 && ShapeMath.SameShape(targets.Shape, logits.Shape)
            ? CrossEntropyProbabilities(logits, targets, weight, labelSmoothing, reduction)
            : CrossEntropy(logits, targets.ToIndices("CrossEntropy"), weight, labelSmoothing, reduction, ignoreIndex);
    }

    /// <summary>
    /// F.cross_entropy with probability targets [N, C] (soft labels): with q = (1 - e) target + e / C,
    /// sample i costs -sum_c w[c] q[i, c] log p[i, c]; the mean divides by N (PyTorch's rule for
    /// probability targets, weights or not). The targets receive no gradient.
    /// </summary>
    public static Tensor CrossEntropyProbabilities(Tensor logits, Tensor targets, Tensor? weight = null,
        float labelSmoothing = 0f, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "CrossEntropy: label smoothing must be in [0, 1]");
        if (!ShapeMath.SameShape(logits.Shape, targets.Shape))
            throw new ShapeException($"CrossEntropy: probability targets {ShapeMath.Format(targets.Shape)} differ from logits {ShapeMath.Format(logits.Shape)}");
        var (n, c, w) = CheckScores("CrossEntropy", logits, weight);
        var logp = LogSoftmaxRows(logits.Data, n, c);
        // q = w * ((1 - e) target + e / C), the effective weighted target of each logit
        var q = TensorMemory.Rent(n * c);
        TensorPrimitives.Multiply(targets.Data, 1f - labelSmoothing, q);
        TensorPrimitives.Add(q, labelSmoothing / c, q);
        if (w is not null) for (int i = 0; i < n; i++) TensorPrimitives.Multiply(q.AsSpan(i * c, c), w, q.AsSpan(i * c, c));
        var perSample = new float[n];
        for (int i = 0; i < n; i++) perSample[i] = -TensorPrimitives.Dot(q.AsSpan(i * c, c), logp.AsSpan(i * c, c));
        var ones = new float[n];
        Array.Fill(ones, 1f);
        var (value, scale) = Reduce(perSample, ones, reduction);
        return Tensor.FromOp("CrossEntropyProbabilities", value, reduction == Reduction.None ? [n] : [], [logits], o =>
        {
            var g = o.Grad!;
            var dx = TensorMemory.Rent(n * c);
            Engine.For(n, i =>
            {
                // d loss_i / dx_j = p_j sum_c q_c - q_j
                var d = dx.AsSpan(i * c, c);
                var qi = q.AsSpan(i * c, c);
                float s = reduction == Reduction.None ? g[i] : g[0] * scale;
                TensorPrimitives.Exp(logp.AsSpan(i * c, c), d);
                TensorPrimitives.Multiply(d, TensorPrimitives.Sum(qi), d);
                TensorPrimitives.Subtract(d, qi, d);
                TensorPrimitives.Multiply(d, s, d);
            });
            logits.AccumulateOwnedGrad(dx);
        });
    }

    /// <summary>Row-wise log-softmax of [n, c] data, stabilised by the row maximum.</summary>
    private static float[] LogSoftmaxRows(float[] x, int n, int c)
    {
        var logp = TensorMemory.Rent(n * c);
        Engine.For(n, i =>
        {
            var row = x.AsSpan(i * c, c);
            var lp = logp.AsSpan(i * c, c);
            TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), lp);
            float sum = 0f;
            foreach (float v in lp) sum += MathF.Exp(v);
            TensorPrimitives.Subtract(lp, MathF.Log(sum), lp);
        });
        return logp;
    }
}
