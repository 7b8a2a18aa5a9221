using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Aver.Tensors.Kernels;

/// <summary>
/// The one loop of the affine family (<see cref="IAffineOperator"/>): whole vectors at the width
/// <see cref="Engine.Isa"/> allows, then the remainder with the scalar form (the same arithmetic, so
/// every path gives the same bits). No allocation; the destination is the caller's and may be x or z.
/// Compiled optimised from the first call (AggressiveOptimization): tier-0 code, with its
/// vector constructors not inlined, would run a network's first batches several times slower.
/// </summary>
public static class AffineKernels
{
    /// <summary>d = f(x, z; p, q, r) elementwise; z may be empty when the formula does not read it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> z, float p, float q, float r, Span<float> d) where TOp : IAffineOperator
    {
        if (d.Length < x.Length || (TOp.ReadsSecond && z.Length != x.Length)) throw new ArgumentException("AffineKernels.Apply: spans differ in length");
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float zr = ref MemoryMarshal.GetReference(z);
        ref float dr = ref MemoryMarshal.GetReference(d);
        nuint n = (nuint)x.Length, i = 0;
        // ReadsSecond is a constant of TOp: the JIT drops z's load where the formula ignores it.
        switch (VectorWidths.Current)
        {
            case VectorWidth.V512:
            {
                Vector512<float> vp = Vector512.Create(p), vq = Vector512.Create(q), vr = Vector512.Create(r);
                for (; i + 16 <= n; i += 16)
                    TOp.Invoke(Vector512.LoadUnsafe(ref xr, i), TOp.ReadsSecond ? Vector512.LoadUnsafe(ref zr, i) : default, vp, vq, vr).StoreUnsafe(ref dr, i);
                break;
            }
            case VectorWidth.V256:
            {
                Vector256<float> vp = Vector256.Create(p), vq = Vector256.Create(q), vr = Vector256.Create(r);
                for (; i + 8 <= n; i += 8)
                    TOp.Invoke(Vector256.LoadUnsafe(ref xr, i), TOp.ReadsSecond ? Vector256.LoadUnsafe(ref zr, i) : default, vp, vq, vr).StoreUnsafe(ref dr, i);
                break;
            }
            case VectorWidth.V128:
            {
                Vector128<float> vp = Vector128.Create(p), vq = Vector128.Create(q), vr = Vector128.Create(r);
                for (; i + 4 <= n; i += 4)
                    TOp.Invoke(Vector128.LoadUnsafe(ref xr, i), TOp.ReadsSecond ? Vector128.LoadUnsafe(ref zr, i) : default, vp, vq, vr).StoreUnsafe(ref dr, i);
                break;
            }
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = TOp.Invoke(Unsafe.Add(ref xr, i), TOp.ReadsSecond ? Unsafe.Add(ref zr, i) : 0f, p, q, r);
    }

    /// <summary>
    /// d = max((scale x + shift) + r, 0): batch norm's per-channel affine map, plus <paramref name="residual"/> unless it is
    /// empty, through ReLU with <paramref name="relu"/> (the batch-norm op and a convolution's fused epilogue, one formula).
    /// </summary>
    public static void ScaleShift(ReadOnlySpan<float> x, ReadOnlySpan<float> residual, float scale, float shift, bool relu, Span<float> d)
    {
        bool add = !residual.IsEmpty;
        if (add && relu) Apply<ScaleShiftAddReluOperator>(x, residual, scale, shift, 0f, d);
        else if (add) Apply<ScaleShiftAddOperator>(x, residual, scale, shift, 0f, d);
        else if (relu) Apply<ScaleShiftReluOperator>(x, default, scale, shift, 0f, d);
        else Apply<ScaleShiftOperator>(x, default, scale, shift, 0f, d);
    }
}
