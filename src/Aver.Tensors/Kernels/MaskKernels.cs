using System.Numerics;
using System.Runtime.CompilerServices;

namespace Aver.Tensors.Kernels;

/// <summary>
/// Gradient masks of piecewise-linear activations, and ReLU fused into the residual sum, vectorised
/// (a branch per element mispredicts on activations); optimised from the first call, as <see cref="AffineKernels"/>.
/// </summary>
public static class MaskKernels
{
    /// <summary>dx = g where y &gt; 0, else 0 (ReLU's backward from its output); dx may be g itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void KeepWherePositive(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx)
    {
        if (y.Length != g.Length || dx.Length < g.Length) throw new ArgumentException("KeepWherePositive: spans differ in length");
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= g.Length - Vector<float>.Count; i += Vector<float>.Count)
                Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(y[i..]), Vector<float>.Zero), new Vector<float>(g[i..]), Vector<float>.Zero).CopyTo(dx[i..]);
        }
        for (; i < g.Length; i++) dx[i] = y[i] > 0 ? g[i] : 0f;
    }

    /// <summary>y = max(a + b, 0), with <see cref="Tensor.Relu"/>'s NaN rule (NaN stays).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddRelu(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        if (a.Length != b.Length || y.Length < a.Length) throw new ArgumentException("AddRelu: spans differ in length");
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
                Vector.Max(new Vector<float>(a[i..]) + new Vector<float>(b[i..]), Vector<float>.Zero).CopyTo(y[i..]);
        }
        for (; i < a.Length; i++) y[i] = MathF.Max(a[i] + b[i], 0f);
    }
}
