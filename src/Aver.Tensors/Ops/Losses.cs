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
public static partial class Losses
{
    /// <summary>PyTorch's default ignore_index: a target with this value is skipped.</summary>
    public const int IgnoreIndex = -100;

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
            var dx = TensorMemory.Rent(x.Length);
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
        var (n, c, w) = CheckScores(op, scores, weight);
        if (targets.Length != n)
            throw new ShapeException($"{op}: {targets.Length} targets for scores {ShapeMath.Format(scores.Shape)}");
        foreach (int t in targets)
            if (t != ignoreIndex && (uint)t >= (uint)c)
                throw new ArgumentOutOfRangeException(nameof(targets), t, $"{op}: target {t} is not a class of scores {ShapeMath.Format(scores.Shape)}");
        return (n, c, targets.ToArray(), w);
    }

    private static (int N, int C, float[]? Weight) CheckScores(string op, Tensor scores, Tensor? weight)
    {
        if (scores.Rank != 2)
            throw new ShapeException($"{op}: scores {ShapeMath.Format(scores.Shape)} must be [N, C]");
        int n = scores.Dim(0), c = scores.Dim(1);
        if (weight is not null && (weight.Rank != 1 || weight.Size != c))
            throw new ShapeException($"{op}: class weight {ShapeMath.Format(weight.Shape)} does not match the {c} classes of scores {ShapeMath.Format(scores.Shape)}");
        return (n, c, weight?.Data);
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
