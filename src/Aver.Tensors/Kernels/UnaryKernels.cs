using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Aver.Tensors.Kernels;

/// <summary>
/// The one loop of the elementwise maps (<see cref="IUnaryOperator"/>) and the one loop of their
/// gradients (<see cref="IUnaryGradientOperator"/>): whole vectors at the width
/// <see cref="Engine.Isa"/> allows, then the remainder one element at a time with the scalar form
/// (the same arithmetic, so every path gives the same bits). No allocation; the destination is the caller's.
/// Compiled optimised from the first call, as <see cref="AffineKernels"/>.
/// </summary>
public static class UnaryKernels
{
    /// <summary>y = f(x; <paramref name="a"/>) elementwise; y may be x itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(ReadOnlySpan<float> x, float a, Span<float> y) where TOp : IUnaryOperator
    {
        if (y.Length < x.Length) throw new ArgumentException("UnaryKernels.Map: destination is shorter than the source");
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        if (TOp.Vectorizable)
        {
            switch (VectorWidths.Current)
            {
                case VectorWidth.V512:
                    var a512 = Vector512.Create(a);
                    for (; i + 16 <= n; i += 16) TOp.Invoke(Vector512.LoadUnsafe(ref xr, i), a512).StoreUnsafe(ref yr, i);
                    break;
                case VectorWidth.V256:
                    var a256 = Vector256.Create(a);
                    for (; i + 8 <= n; i += 8) TOp.Invoke(Vector256.LoadUnsafe(ref xr, i), a256).StoreUnsafe(ref yr, i);
                    break;
                case VectorWidth.V128:
                    var a128 = Vector128.Create(a);
                    for (; i + 4 <= n; i += 4) TOp.Invoke(Vector128.LoadUnsafe(ref xr, i), a128).StoreUnsafe(ref yr, i);
                    break;
            }
        }
        for (; i < n; i++) Unsafe.Add(ref yr, i) = TOp.Invoke(Unsafe.Add(ref xr, i), a);
    }

    /// <summary>
    /// dx = g f'(x, y; <paramref name="a"/>) elementwise; dx may be g itself. x (or y) may be empty when
    /// the rule does not read it (<see cref="IUnaryGradientOperator.ReadsInput"/>, <see cref="IUnaryGradientOperator.ReadsOutput"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gradient<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, float a, Span<float> dx)
        where TOp : IUnaryGradientOperator
    {
        if (dx.Length < g.Length || (TOp.ReadsInput && x.Length != g.Length) || (TOp.ReadsOutput && y.Length != g.Length))
            throw new ArgumentException("UnaryKernels.Gradient: spans differ in length");
        if (TOp.TryTensorPrimitives(x, y, g, dx)) return;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        ref float gr = ref MemoryMarshal.GetReference(g);
        ref float dr = ref MemoryMarshal.GetReference(dx);
        nuint n = (nuint)g.Length, i = 0;
        // ReadsInput/ReadsOutput are constants of TOp: the JIT drops the load of a stream the rule ignores.
        if (TOp.Vectorizable)
        {
            switch (VectorWidths.Current)
            {
                case VectorWidth.V512:
                    var a512 = Vector512.Create(a);
                    for (; i + 16 <= n; i += 16)
                        TOp.Invoke(TOp.ReadsInput ? Vector512.LoadUnsafe(ref xr, i) : default, TOp.ReadsOutput ? Vector512.LoadUnsafe(ref yr, i) : default,
                            Vector512.LoadUnsafe(ref gr, i), a512).StoreUnsafe(ref dr, i);
                    break;
                case VectorWidth.V256:
                    var a256 = Vector256.Create(a);
                    for (; i + 8 <= n; i += 8)
                        TOp.Invoke(TOp.ReadsInput ? Vector256.LoadUnsafe(ref xr, i) : default, TOp.ReadsOutput ? Vector256.LoadUnsafe(ref yr, i) : default,
                            Vector256.LoadUnsafe(ref gr, i), a256).StoreUnsafe(ref dr, i);
                    break;
                case VectorWidth.V128:
                    var a128 = Vector128.Create(a);
                    for (; i + 4 <= n; i += 4)
                        TOp.Invoke(TOp.ReadsInput ? Vector128.LoadUnsafe(ref xr, i) : default, TOp.ReadsOutput ? Vector128.LoadUnsafe(ref yr, i) : default,
                            Vector128.LoadUnsafe(ref gr, i), a128).StoreUnsafe(ref dr, i);
                    break;
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref dr, i) = TOp.Invoke(TOp.ReadsInput ? Unsafe.Add(ref xr, i) : 0f, TOp.ReadsOutput ? Unsafe.Add(ref yr, i) : 0f, Unsafe.Add(ref gr, i), a);
    }
}
