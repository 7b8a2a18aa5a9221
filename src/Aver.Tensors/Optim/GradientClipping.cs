using System.Numerics.Tensors;

namespace Aver.Tensors.Optim;

/// <summary>Gradient norm clipping, as PyTorch's <c>torch.nn.utils.clip_grad_norm_</c>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> in place so that their joint
    /// <paramref name="normType"/>-norm (all gradients taken as one vector) is at most
    /// <paramref name="maxNorm"/>: each is multiplied by min(1, maxNorm / (norm + 1e-6)).
    /// Parameters without a gradient are ignored. Returns the norm before clipping.
    /// </summary>
    /// <param name="normType">p of the p-norm, or <see cref="double.PositiveInfinity"/> for the largest magnitude.</param>
    /// <param name="errorIfNonfinite">Throw instead of clipping when the norm is NaN or infinite.</param>
    public static float ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        if (!(normType > 0)) throw new ArgumentOutOfRangeException(nameof(normType), normType, "ClipGradNorm: norm type must be positive");
        var grads = new List<float[]>();
        foreach (var p in parameters) if (p.Grad is not null) grads.Add(p.Grad);
        if (grads.Count == 0) return 0f;

        double total;
        if (double.IsPositiveInfinity(normType))
        {
            total = 0;
            foreach (var g in grads) if (g.Length > 0) total = Math.Max(total, Math.Abs(TensorPrimitives.MaxMagnitude(g)));
        }
        else
        {
            double sum = 0;
            foreach (var g in grads) sum += Math.Pow(Norm(g, normType), normType);
            total = Math.Pow(sum, 1 / normType);
        }
        float totalNorm = (float)total;
        if (errorIfNonfinite && !float.IsFinite(totalNorm))
            throw new ArithmeticException($"ClipGradNorm: the total {normType}-norm of the gradients is {totalNorm}");
        float coef = (float)Math.Min(1.0, maxNorm / (totalNorm + 1e-6));
        // A NaN norm makes NaN gradients, as in PyTorch, so the failure shows.
        if (!(coef >= 1f)) foreach (var g in grads) TensorPrimitives.Multiply(g, coef, g);
        return totalNorm;
    }

    /// <summary>The p-norm of one gradient, accumulated in double beyond the common cases.</summary>
    private static double Norm(ReadOnlySpan<float> g, double p)
    {
        if (p == 2) return TensorPrimitives.Norm(g);
        if (p == 1) return TensorPrimitives.SumOfMagnitudes(g);
        double s = 0;
        foreach (float x in g) s += Math.Pow(Math.Abs(x), p);
        return Math.Pow(s, 1 / p);
    }
}
