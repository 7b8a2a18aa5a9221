using System.Numerics.Tensors;
using Aver.Tensors.Kernels;

namespace Aver.Tensors;

/// <summary>Batch normalisation over [N, C, *] (F.batch_norm), parallel over channels, with the closed-form backward.</summary>
public sealed partial class Tensor
{
    /// <summary>
    /// y = (x - mean_c) / sqrt(var_c + eps) * weight_c + bias_c for input [N, C, *]; plus
    /// <paramref name="residual"/> (same shape) when given, and through max(., 0) with
    /// <paramref name="relu"/>, in the same pass: ResNet's "bn, ReLU" and "bn, add the shortcut,
    /// ReLU" without a second pass and tensor per step. The result equals
    /// <c>(BatchNorm(...) + residual).Relu()</c>, gradients included.
    /// Training: mean and biased variance of the batch over N and *; when given, the running
    /// statistics are updated in place as running = (1 - momentum) running + momentum stat, the
    /// variance unbiased (PyTorch's rule). Evaluation: the running statistics, which are then
    /// required. Weight and bias [C] are optional.
    /// </summary>
    public Tensor BatchNorm(Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum = 0.1f, float eps = 1e-5f, bool relu = false, Tensor? residual = null)
    {
        if (Rank < 2) throw new ShapeException($"BatchNorm: input {ShapeMath.Format(_shape)} needs shape [N, C, *]");
        int n = _shape[0], c = _shape[1], s = ShapeMath.Product(_shape, 2, Rank);
        foreach (var p in new[] { runningMean, runningVar, weight, bias })
            if (p is not null && (p.Rank != 1 || p._shape[0] != c))
                throw new ShapeException($"BatchNorm: {p.Describe()} does not match the {c} channels of input {ShapeMath.Format(_shape)}");
        if (!training && (runningMean is null || runningVar is null))
            throw new ArgumentException($"BatchNorm: evaluation of input {ShapeMath.Format(_shape)} needs running mean and variance");
        if (residual is not null && !ShapeMath.SameShape(residual._shape, _shape))
            throw new ShapeException($"BatchNorm: residual {residual.Describe()} does not match input {ShapeMath.Format(_shape)}");
        long m = (long)n * s;
        if (training && m <= 1)
            throw new ShapeException($"BatchNorm: expected more than 1 value per channel when training, got input {ShapeMath.Format(_shape)}");

        var x = Data;
        var mean = new float[c];
        var rstd = new float[c];
        var y = TensorMemory.Rent(Size);
        float[]? w = weight?.Data, b = bias?.Data, res = residual?.Data;
        Engine.For(c, ch =>
        {
            float mu, variance;
            if (training)
            {
                (mu, variance) = ChannelMoments(x, n, c, s, ch);
                if (runningMean is not null) runningMean.Data[ch] = (1 - momentum) * runningMean.Data[ch] + momentum * mu;
                if (runningVar is not null) runningVar.Data[ch] = (1 - momentum) * runningVar.Data[ch] + momentum * (float)(variance * m / (double)(m - 1));
            }
            else { mu = runningMean!.Data[ch]; variance = runningVar!.Data[ch]; }
            var (r, scale, shift) = BatchNormAffine(mu, variance, eps, w?[ch], b?[ch]);
            mean[ch] = mu; rstd[ch] = r;
            // y = x * scale + shift, one pass per [n, c] block
            for (int i = 0; i < n; i++)
            {
                int off = (i * c + ch) * s;
                AffineKernels.ScaleShift(x.AsSpan(off, s), res is null ? default : res.AsSpan(off, s), scale, shift, relu, y.AsSpan(off, s));
            }
        });

        var a = this;
        var inputs = WithAffine(a, weight, bias);
        if (residual is not null) inputs = [.. inputs, residual];
        string op = (residual is null ? "BatchNorm" : "BatchNormAdd") + (relu ? "Relu" : "");
        return FromOp(op, y, (int[])_shape.Clone(), inputs, o =>
        {
            // The result's gradient is ours alone (Backward drops it after this closure): ReLU's
            // mask is applied to it in place, and the input gradient is written over it.
            var g = o.ReleaseGrad();
            var yOut = o.Data;
            bool dxNeeded = a.RequiresGrad;
            // The residual's gradient is the (masked) output gradient: copied block by block
            // before the input gradient overwrites it, into a fresh array or added to its own.
            bool toResidual = residual is { RequiresGrad: true };
            bool freshResidualGrad = toResidual && residual!.Grad is null;
            var dr = !toResidual ? null : freshResidualGrad ? TensorMemory.Rent(a.Size) : residual!.Grad;
            var dw = new float[c];
            var db = new float[c];
            Engine.For(c, ch =>
            {
                // sums over the channel: sum g and sum g * xhat = rstd (sum g x - mean sum g)
                double sumG = 0, sumGx = 0;
                for (int i = 0; i < n; i++)
                {
                    int off = (i * c + ch) * s;
                    var (sg, sgx) = relu
                        ? ChannelSums.MaskSumAndDot(g.AsSpan(off, s), yOut.AsSpan(off, s), x.AsSpan(off, s))
                        : ChannelSums.SumAndDot(g.AsSpan(off, s), x.AsSpan(off, s));
                    sumG += sg; sumGx += sgx;
                    if (dr is null) continue;
                    if (freshResidualGrad) g.AsSpan(off, s).CopyTo(dr.AsSpan(off, s));
                    else TensorPrimitives.Add(dr.AsSpan(off, s), g.AsSpan(off, s), dr.AsSpan(off, s));
                }
                double mu = mean[ch], r = rstd[ch];
                double sumGXhat = r * (sumGx - mu * sumG);
                db[ch] = (float)sumG;
                dw[ch] = (float)sumGXhat;
                if (!dxNeeded) return;
                double gain = r * (w?[ch] ?? 1f);
                // training: dx = gain (g - sumG / M - xhat sumGXhat / M); evaluation: dx = gain g
                float kg = (float)gain, kx = 0f, k0 = 0f;
                if (training)
                {
                    double t = gain * r * sumGXhat / m;
                    kx = (float)-t;
                    k0 = (float)(-gain * sumG / m + t * mu);
                }
                for (int i = 0; i < n; i++)
                {
                    int off = (i * c + ch) * s;
                    AffineKernels.Apply<CombineOperator>(g.AsSpan(off, s), x.AsSpan(off, s), kg, kx, k0, g.AsSpan(off, s));
                }
            });
            if (freshResidualGrad) residual!.AccumulateOwnedGrad(dr!);
            if (dxNeeded) a.AccumulateOwnedGrad(g);
            if (weight is { RequiresGrad: true }) weight.AccumulateGrad(dw);
            if (bias is { RequiresGrad: true }) bias.AccumulateGrad(db);
        });
    }

    /// <summary>
    /// Batch norm of one channel as y = scale x + shift (and its 1 / sqrt(variance + eps)), from its mean, variance and
    /// affine parameters: the op's arithmetic, which a convolution's fused epilogue (<see cref="ConvEpilogue"/>) repeats
    /// bit for bit.
    /// </summary>
    internal static (float Rstd, float Scale, float Shift) BatchNormAffine(float mean, float variance, float eps, float? weight, float? bias)
    {
        float rstd = 1f / MathF.Sqrt(variance + eps), scale = rstd * (weight ?? 1f);
        return (rstd, scale, (bias ?? 0f) - mean * scale);
    }

    /// <summary>
    /// Mean and biased variance of channel <paramref name="ch"/> of [n, c, s] data: each [s] block's
    /// mean and squared deviations (two passes over a block that stays in cache), blocks merged
    /// in double with Chan et al.'s pairwise update, so no large mean is subtracted from a large sum.
    /// </summary>
    private static (float Mean, float Variance) ChannelMoments(float[] x, int n, int c, int s, int ch)
    {
        double mean = 0, m2 = 0;
        long count = 0;
        for (int i = 0; i < n; i++)
        {
            var block = x.AsSpan((i * c + ch) * s, s);
            double blockMean = TensorPrimitives.Sum(block) / (double)s;
            double blockM2 = ChannelSums.SquaredDeviations(block, (float)blockMean);
            // The block's deviations were taken from the float-rounded mean: correct to the exact one.
            double off = blockMean - (float)blockMean;
            blockM2 -= s * off * off;
            long total = count + s;
            double delta = blockMean - mean;
            mean += delta * s / total;
            m2 += blockM2 + delta * delta * count * s / total;
            count = total;
        }
        return ((float)mean, (float)Math.Max(0, m2 / count));
    }
}
