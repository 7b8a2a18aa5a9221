using System.Numerics;

namespace Aver.Tensors.Kernels;

/// <summary>
/// One-pass affine combinations used by the normalisation layers, where TensorPrimitives would
/// need two or three passes over memory: y = a x + b and d = p g + q x + r.
/// </summary>
public static class AffineKernels
{
    /// <summary>y = <paramref name="scale"/> x + <paramref name="shift"/>.</summary>
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
}
