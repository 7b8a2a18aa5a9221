using System.Numerics;
using System.Runtime.CompilerServices;

namespace Aver.Tensors.Kernels;

/// <summary>
/// The per-channel sums of batch norm's statistics and backward, one pass each. They stay at
/// Vector&lt;float&gt;'s width on every <see cref="Engine.Isa"/> path: a wider vector would change the
/// order of the additions, and with it the statistics' last bits. Optimised from the first call, as
/// <see cref="AffineKernels"/>.
/// </summary>
public static class ChannelSums
{
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
