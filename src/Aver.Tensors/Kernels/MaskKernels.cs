using System.Numerics;

namespace Aver.Tensors.Kernels;

/// <summary>Gradient masks of piecewise-linear activations, vectorised (a branch per element mispredicts on activations).</summary>
public static class MaskKernels
{
    /// <summary>dx = g where y &gt; 0, else 0 (ReLU's backward from its output); dx may be g itself.</summary>
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
}
