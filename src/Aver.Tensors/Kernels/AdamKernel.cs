using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Aver.Tensors.Kernels;

/// <summary>
/// One Adam / AdamW update of a block of parameters in a single pass: each element's parameter, gradient and moments are
/// read once and written once, where eleven span operations in a row (the earlier form) each went over the block again.
/// The arithmetic is theirs, step by step and without fused multiply-adds (torch.optim.Adam's order of operations):
/// p = p·shrink; g = p·wd + g (L2); m = m·β₁ + g·(1 − β₁); v = v·β₂ + (g·g)·(1 − β₂); v̂ = max(v̂, v) (AMSGrad);
/// p = (m / (√v̂ · c₂ + ε))·(−step) + p.
/// </summary>
internal static class AdamKernel
{
    /// <summary>
    /// The update's scalars: decoupled shrink (1: none), L2 weight decay (0: none), β₁, 1 − β₁, β₂, 1 − β₂ (each rounded from
    /// double), 1 / √(1 − β₂ᵗ), ε and −lr / (1 − β₁ᵗ).
    /// </summary>
    public readonly record struct Constants(float Shrink, float L2, float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2,
        float InvCorrection2, float Epsilon, float NegStep);

    /// <summary>Updates p, m and v (and <paramref name="vMax"/>, AMSGrad's running maximum, unless empty) in place from g.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Step(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, Span<float> vMax, Constants k)
    {
        int n = p.Length;
        if (g.Length != n || m.Length != n || v.Length != n || (!vMax.IsEmpty && vMax.Length != n))
            throw new ArgumentException("AdamKernel.Step: spans differ in length");
        ref float pr = ref MemoryMarshal.GetReference(p);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float xr = ref MemoryMarshal.GetReference(vMax);
        bool ams = !vMax.IsEmpty;
        float omb1 = k.OneMinusBeta1, omb2 = k.OneMinusBeta2;
        nuint i = 0, count = (nuint)n;
        // 256-bit vectors on the AVX-512 path too: the update moves 28 bytes per element for a few operations, so memory,
        // not vector width, bounds it, and one vector loop keeps the arithmetic in one place.
        if (VectorWidths.Current >= VectorWidth.V256)
        {
            Vector256<float> shrink = Vector256.Create(k.Shrink), l2 = Vector256.Create(k.L2), b1 = Vector256.Create(k.Beta1),
                c1 = Vector256.Create(omb1), b2 = Vector256.Create(k.Beta2), c2 = Vector256.Create(omb2),
                inv = Vector256.Create(k.InvCorrection2), eps = Vector256.Create(k.Epsilon), step = Vector256.Create(k.NegStep);
            for (; i + 8 <= count; i += 8)
            {
                var pv = Vector256.LoadUnsafe(ref pr, i);
                var gv = Vector256.LoadUnsafe(ref gr, i);
                if (k.Shrink != 1f) pv *= shrink;
                if (k.L2 != 0f) gv = pv * l2 + gv;
                var mv = Vector256.LoadUnsafe(ref mr, i) * b1 + gv * c1;
                var vv = Vector256.LoadUnsafe(ref vr, i) * b2 + gv * gv * c2;
                var second = vv;
                if (ams) { second = Vector256.Max(Vector256.LoadUnsafe(ref xr, i), vv); second.StoreUnsafe(ref xr, i); }
                var d = Vector256.Sqrt(second) * inv + eps;
                (mv / d * step + pv).StoreUnsafe(ref pr, i);
                mv.StoreUnsafe(ref mr, i);
                vv.StoreUnsafe(ref vr, i);
            }
        }
        for (; i < count; i++)
        {
            float pv = Unsafe.Add(ref pr, i), gv = Unsafe.Add(ref gr, i);
            if (k.Shrink != 1f) pv *= k.Shrink;
            if (k.L2 != 0f) gv = pv * k.L2 + gv;
            float mv = Unsafe.Add(ref mr, i) * k.Beta1 + gv * omb1;
            float vv = Unsafe.Add(ref vr, i) * k.Beta2 + gv * gv * omb2;
            float second = vv;
            if (ams) { second = MathF.Max(Unsafe.Add(ref xr, i), vv); Unsafe.Add(ref xr, i) = second; }
            float d = MathF.Sqrt(second) * k.InvCorrection2 + k.Epsilon;
            Unsafe.Add(ref pr, i) = mv / d * k.NegStep + pv;
            Unsafe.Add(ref mr, i) = mv;
            Unsafe.Add(ref vr, i) = vv;
        }
    }
}
