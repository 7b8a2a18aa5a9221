using System.Numerics;
using System.Runtime.CompilerServices;

namespace Aver.Tensors.Kernels;

/// <summary>
/// One-pass affine combinations and sums used by the normalisation layers, where TensorPrimitives
/// would need two or three passes over memory: y = a x + b (optionally through a ReLU),
/// d = p g + q x + r, and the per-channel sums of batch norm's statistics and backward.
/// Compiled optimised from the first call (AggressiveOptimization): tier-0 code, with its
/// vector constructors not inlined, would run a network's first batches several times slower.
/// </summary>
public static class AffineKernels
{
    /// <summary>y = <paramref name="scale"/> x + <paramref name="shift"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScaleShift(ReadOnlySpan<float> x, float scale, float shift, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("ScaleShift: destination is shorter than the source");
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vs = new Vector<float>(scale); var vb = new Vector<float>(shift);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(x[i..]) * vs + vb).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++) y[i] = scale * x[i] + shift;
    }

    /// <summary>d = <paramref name="p"/> g + <paramref name="q"/> x + <paramref name="r"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Combine(ReadOnlySpan<float> g, float p, ReadOnlySpan<float> x, float q, float r, Span<float> d)
    {
        if (x.Length != g.Length || d.Length < g.Length) throw new ArgumentException("Combine: spans differ in length");
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vp = new Vector<float>(p); var vq = new Vector<float>(q); var vr = new Vector<float>(r);
            for (; i <= g.Length - Vector<float>.Count; i += Vector<float>.Count)
                (new Vector<float>(g[i..]) * vp + new Vector<float>(x[i..]) * vq + vr).CopyTo(d[i..]);
        }
        for (; i < g.Length; i++) d[i] = p * g[i] + q * x[i] + r;
    }

    /// <summary>y = max(<paramref name="scale"/> x + <paramref name="shift"/>, 0), with <see cref="Tensor.Relu"/>'s NaN rule (NaN stays).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScaleShiftRelu(ReadOnlySpan<float> x, float scale, float shift, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("ScaleShiftRelu: destination is shorter than the source");
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vs = new Vector<float>(scale); var vb = new Vector<float>(shift);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                Vector.Max(new Vector<float>(x[i..]) * vs + vb, Vector<float>.Zero).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++) y[i] = MathF.Max(scale * x[i] + shift, 0f);
    }

    /// <summary>
    /// y = <paramref name="scale"/> x + <paramref name="shift"/> + r, through max(., 0) when
    /// <paramref name="relu"/> (batch norm, the residual sum and ReLU in one pass).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScaleShiftAdd(ReadOnlySpan<float> x, float scale, float shift, ReadOnlySpan<float> r, bool relu, Span<float> y)
    {
        if (y.Length < x.Length || r.Length != x.Length) throw new ArgumentException("ScaleShiftAdd: spans differ in length");
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vs = new Vector<float>(scale); var vb = new Vector<float>(shift);
            // Same operation order as the unfused ops ((a x + b) + r, then the max), so results are identical.
            var floor = relu ? Vector<float>.Zero : new Vector<float>(float.NegativeInfinity);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                Vector.Max(new Vector<float>(x[i..]) * vs + vb + new Vector<float>(r[i..]), floor).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++)
        {
            float v = scale * x[i] + shift + r[i];
            y[i] = relu ? MathF.Max(v, 0f) : v;
        }
    }

    /// <summary>Sum of (x - <paramref name="mean"/>)^2: the second pass of a two-pass variance, without a centred copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float SquaredDeviations(ReadOnlySpan<float> x, float mean)
    {
        int i = 0;
        float sum = 0f;
        if (Vector.IsHardwareAccelerated)
        {
            var vm = new Vector<float>(mean);
            var acc = Vector<float>.Zero;
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var d = new Vector<float>(x[i..]) - vm;
                acc += d * d;
            }
            sum = Vector.Sum(acc);
        }
        for (; i < x.Length; i++) { float d = x[i] - mean; sum += d * d; }
        return sum;
    }

    /// <summary>(sum g, sum g x) in one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (float SumG, float SumGx) SumAndDot(ReadOnlySpan<float> g, ReadOnlySpan<float> x)
    {
        if (x.Length != g.Length) throw new ArgumentException("SumAndDot: spans differ in length");
        int i = 0;
        float sg = 0f, sgx = 0f;
        if (Vector.IsHardwareAccelerated)
        {
            var ag = Vector<float>.Zero; var agx = Vector<float>.Zero;
            for (; i <= g.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var vg = new Vector<float>(g[i..]);
                ag += vg;
                agx += vg * new Vector<float>(x[i..]);
            }
            sg = Vector.Sum(ag); sgx = Vector.Sum(agx);
        }
        for (; i < g.Length; i++) { sg += g[i]; sgx += g[i] * x[i]; }
        return (sg, sgx);
    }

    /// <summary>
    /// ReLU's backward fused into <see cref="SumAndDot"/>: g = 0 where y &lt;= 0 (in place), then
    /// (sum g, sum g x) of the masked g.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (float SumG, float SumGx) MaskSumAndDot(Span<float> g, ReadOnlySpan<float> y, ReadOnlySpan<float> x)
    {
        if (x.Length != g.Length || y.Length != g.Length) throw new ArgumentException("MaskSumAndDot: spans differ in length");
        int i = 0;
        float sg = 0f, sgx = 0f;
        if (Vector.IsHardwareAccelerated)
        {
            var ag = Vector<float>.Zero; var agx = Vector<float>.Zero;
            for (; i <= g.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var vg = Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(y[i..]), Vector<float>.Zero), new Vector<float>(g[i..]), Vector<float>.Zero);
                vg.CopyTo(g[i..]);
                ag += vg;
                agx += vg * new Vector<float>(x[i..]);
            }
            sg = Vector.Sum(ag); sgx = Vector.Sum(agx);
        }
        for (; i < g.Length; i++)
        {
            float v = y[i] > 0 ? g[i] : 0f;
            g[i] = v; sg += v; sgx += v * x[i];
        }
        return (sg, sgx);
    }
}
