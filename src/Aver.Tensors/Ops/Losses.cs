using System.Numerics.Tensors;

namespace Aver.Tensors;

/// <summary>How a loss combines its per-sample values (PyTorch's <c>reduction</c>).</summary>
public enum Reduction
{
    /// <summary>The (weighted) mean: a tensor of shape [].</summary>
    Mean,
    /// <summary>The sum: a tensor of shape [].</summary>
    Sum,
    /// <summary>One value per sample: shape [N].</summary>
    None,
}

/// <summary>
/// Losses as fused ops (each computes its values and gradient in one pass): cross-entropy with
/// class weights and label smoothing, NLL, binary cross-entropy on logits, and MSE. Targets are
/// class indices as <c>int[]</c> or as a tensor of integral floats; <see cref="IgnoreIndex"/>
/// marks samples that contribute nothing.
/// </summary>
public static class Losses
{
    /// <summary>PyTorch's default ignore_index: a target with this value is skipped.</summary>
    public const int IgnoreIndex = -100;

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
        var x = logits.Data;
        var logp = GC.AllocateUninitializedArray<float>(n * c);
        var perSample = new float[n];
        var sampleWeight = new float[n]; // w[t_i], 0 when ignored: the weighted mean's denominator
        float e = labelSmoothing, ec = labelSmoothing / c;
        Engine.For(n, i =>
        {
            var row = x.AsSpan(i * c, c);
            var lp = logp.AsSpan(i * c, c);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, lp);
            float lse = 0f;
            for (int j = 0; j < c; j++) lse += MathF.Exp(lp[j]);
            TensorPrimitives.Subtract(lp, MathF.Log(lse), lp);
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
            var dx = GC.AllocateUninitializedArray<float>(n * c);
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

    /// <summary>CrossEntropy with the targets as a tensor [N] of integral floats.</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets, Tensor? weight = null,
        float labelSmoothing = 0f, Reduction reduction = Reduction.Mean, int ignoreIndex = IgnoreIndex)
        => CrossEntropy(logits, targets.ToIndices("CrossEntropy"), weight, labelSmoothing, reduction, ignoreIndex);

    /// <summary>
    /// F.nll_loss on log-probabilities [N, C]: sample i costs -w[t_i] logp[i, t_i]; the mean
    /// divides by sum_i w[t_i] over non-ignored samples.
    /// </summary>
    public static Tensor NllLoss(Tensor logProbs, ReadOnlySpan<int> targets, Tensor? weight = null,
        Reduction reduction = Reduction.Mean, int ignoreIndex = IgnoreIndex)
    {
        ArgumentNullException.ThrowIfNull(logProbs);
        var (n, c, t, w) = CheckClassTargets("NllLoss", logProbs, targets, weight, ignoreIndex);
        var perSample = new float[n];
        var sampleWeight = new float[n];
        for (int i = 0; i < n; i++)
        {
            if (t[i] == ignoreIndex) continue;
            sampleWeight[i] = w?[t[i]] ?? 1f;
            perSample[i] = -sampleWeight[i] * logProbs.Data[i * c + t[i]];
        }
        var (value, scale) = Reduce(perSample, sampleWeight, reduction);
        return Tensor.FromOp("NllLoss", value, reduction == Reduction.None ? [n] : [], [logProbs], o =>
        {
            var dx = logProbs.GradBuffer();
            for (int i = 0; i < n; i++)
                if (t[i] != ignoreIndex)
                    dx[i * c + t[i]] -= sampleWeight[i] * (reduction == Reduction.None ? o.Grad![i] : o.Grad![0] * scale);
        });
    }

    /// <summary>NllLoss with the targets as a tensor [N] of integral floats.</summary>
    public static Tensor NllLoss(Tensor logProbs, Tensor targets, Tensor? weight = null,
        Reduction reduction = Reduction.Mean, int ignoreIndex = IgnoreIndex)
        => NllLoss(logProbs, targets.ToIndices("NllLoss"), weight, reduction, ignoreIndex);

    /// <summary>
    /// F.binary_cross_entropy_with_logits: l = (1 - t) x + (1 + (pw - 1) t) log(1 + exp(-x)),
    /// computed stably; <paramref name="posWeight"/> has the size of the last axis. Targets have
    /// the logits' shape. Mean and sum are over all elements; None keeps the input's shape.
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Tensor? posWeight = null, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (!ShapeMath.SameShape(logits.Shape, targets.Shape))
            throw new ShapeException($"BinaryCrossEntropyWithLogits: logits {ShapeMath.Format(logits.Shape)} and targets {ShapeMath.Format(targets.Shape)} differ");
        int last = logits.Rank == 0 ? 1 : logits.Dim(-1);
        if (posWeight is not null && posWeight.Size != last)
            throw new ShapeException($"BinaryCrossEntropyWithLogits: pos_weight {ShapeMath.Format(posWeight.Shape)} does not match the last axis of logits {ShapeMath.Format(logits.Shape)}");
        var x = logits.Data; var tg = targets.Data; var pw = posWeight?.Data;
        var l = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            float lw = pw is null ? 1f : 1f + (pw[i % last] - 1f) * tg[i];
            // log(1 + exp(-x)) = max(-x, 0) + log(1 + exp(-|x|))
            l[i] = (1f - tg[i]) * x[i] + lw * (MathF.Max(-x[i], 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x[i]))));
        }
        float[] value = reduction switch
        {
            Reduction.Sum => [TensorPrimitives.Sum(l)],
            Reduction.Mean => [TensorPrimitives.Sum(l) / Math.Max(l.Length, 1)],
            _ => l,
        };
        var shape = reduction == Reduction.None ? logits.Shape.ToArray() : [];
        return Tensor.FromOp("BinaryCrossEntropyWithLogits", value, shape, [logits], o =>
        {
            var dx = GC.AllocateUninitializedArray<float>(x.Length);
            for (int i = 0; i < x.Length; i++)
            {
                float lw = pw is null ? 1f : 1f + (pw[i % last] - 1f) * tg[i];
                float s = reduction switch { Reduction.None => o.Grad![i], Reduction.Sum => o.Grad![0], _ => o.Grad![0] / x.Length };
                // dl/dx = (1 - t) - lw sigmoid(-x)
                dx[i] = s * ((1f - tg[i]) - lw / (1f + MathF.Exp(x[i])));
            }
            logits.AccumulateOwnedGrad(dx);
        });
    }

    /// <summary>F.mse_loss: (input - target)^2, reduced; the target receives no gradient unless it requires one.</summary>
    public static Tensor Mse(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!ShapeMath.SameShape(input.Shape, target.Shape))
            throw new ShapeException($"Mse: input {ShapeMath.Format(input.Shape)} and target {ShapeMath.Format(target.Shape)} differ");
        var sq = input.Sub(target).Square();
        return reduction switch { Reduction.Mean => sq.Mean(), Reduction.Sum => sq.Sum(), _ => sq };
    }

    private static (int N, int C, int[] Targets, float[]? Weight) CheckClassTargets(string op, Tensor scores, ReadOnlySpan<int> targets, Tensor? weight, int ignoreIndex)
    {
        if (scores.Rank != 2)
            throw new ShapeException($"{op}: scores {ShapeMath.Format(scores.Shape)} must be [N, C]");
        int n = scores.Dim(0), c = scores.Dim(1);
        if (targets.Length != n)
            throw new ShapeException($"{op}: {targets.Length} targets for scores {ShapeMath.Format(scores.Shape)}");
        if (weight is not null && (weight.Rank != 1 || weight.Size != c))
            throw new ShapeException($"{op}: class weight {ShapeMath.Format(weight.Shape)} does not match the {c} classes of scores {ShapeMath.Format(scores.Shape)}");
        foreach (int t in targets)
            if (t != ignoreIndex && (uint)t >= (uint)c)
                throw new ArgumentOutOfRangeException(nameof(targets), t, $"{op}: target {t} is not a class of scores {ShapeMath.Format(scores.Shape)}");
        return (n, c, targets.ToArray(), weight?.Data);
    }

    /// <summary>The reduced value and the factor d(value)/d(per-sample loss) for mean and sum.</summary>
    private static (float[] Value, float Scale) Reduce(float[] perSample, float[] sampleWeight, Reduction reduction)
    {
        if (reduction == Reduction.None) return (perSample, 1f);
        double sum = 0;
        foreach (float v in perSample) sum += v;
        if (reduction == Reduction.Sum) return ([(float)sum], 1f);
        double denominator = 0;
        foreach (float v in sampleWeight) denominator += v;
        // PyTorch returns NaN when every sample is ignored (0 / 0); so does this.
        return ([(float)(sum / denominator)], (float)(1.0 / denominator));
    }
}
