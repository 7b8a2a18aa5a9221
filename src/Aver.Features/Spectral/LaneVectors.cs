using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Aver.Tensors;

namespace Aver.Features.Spectral;

/// <summary>
/// A vector of float lanes for kernels written once and run at every width: the frame-batched FFT
/// keeps one frame per lane, so all its arithmetic is lane-wise and the same on every path.
/// Implemented by <see cref="Lanes128"/> (the portable path), <see cref="Lanes256"/> (AVX2) and
/// <see cref="Lanes512"/> (AVX-512); the JIT compiles a generic kernel once per struct.
/// </summary>
internal unsafe interface ILaneVector<T> where T : struct, ILaneVector<T>
{
    static abstract int Count { get; }
    static abstract T Zero { get; }
    static abstract T Load(float* source);
    static abstract void Store(T value, float* destination);
    static abstract T Broadcast(float value);
    /// <summary>
    /// Eight samples of Count frames <paramref name="stride"/> apart, one frame per lane:
    /// dst[i * Count + l] = first[l * stride + i] for i &lt; 8 (a transpose; gathers measured slower).
    /// </summary>
    static abstract void Transpose8(float* first, int stride, float* dst);
    static abstract T operator +(T a, T b);
    static abstract T operator -(T a, T b);
    static abstract T operator *(T a, T b);
    static abstract T operator /(T a, T b);
    /// <summary>a * b + c rounded once, on every path (FMA, or an exact emulation where the CPU lacks it).</summary>
    static abstract T FusedMultiplyAdd(T a, T b, T c);
    static abstract T Sqrt(T a);
    /// <summary>
    /// x = 2^e m with m in [sqrt(1/2), sqrt(2)): returns m - 1 and e (as floats), the argument reduction of
    /// <see cref="LaneLog"/>; meaningful for positive normal x only (<see cref="AllPositiveNormal"/>).
    /// </summary>
    static abstract T SplitExponent(T x, out T exponent);
    /// <summary>Whether every lane is positive, normal and finite (neither zero, subnormal, infinite nor NaN).</summary>
    static abstract bool AllPositiveNormal(T x);
}

/// <summary>Which lane width the <see cref="Engine.Isa"/> path runs, checked at each call so tests can force every path.</summary>
internal enum LaneWidth { V128, V256, V512 }

internal static class LaneWidths
{
    // AVX-512 is checked with Avx512F.IsSupported: .NET reports Vector512 unaccelerated on CPUs (Zen) where it prefers 256 bits.
    public static LaneWidth Current => Engine.Isa switch
    {
        IsaPath.Avx512 when Avx512F.IsSupported => LaneWidth.V512,
        >= IsaPath.Avx2 when Avx2.IsSupported => LaneWidth.V256,
        _ => LaneWidth.V128,
    };

    public static int Count(LaneWidth width) => width switch { LaneWidth.V512 => 16, LaneWidth.V256 => 8, _ => 4 };
}

internal readonly unsafe struct Lanes128(Vector128<float> v) : ILaneVector<Lanes128>
{
    private readonly Vector128<float> _v = v;
    public static int Count => 4;
    public static Lanes128 Zero => new(Vector128<float>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 Load(float* source) => new(Vector128.Load(source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes128 value, float* destination) => value._v.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 Broadcast(float value) => new(Vector128.Create(value));
    public static void Transpose8(float* first, int stride, float* dst)
    {
        for (int i = 0; i < 8; i++)
            for (int l = 0; l < 4; l++) dst[i * 4 + l] = first[l * stride + i];
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 operator +(Lanes128 a, Lanes128 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 operator -(Lanes128 a, Lanes128 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 operator *(Lanes128 a, Lanes128 b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 operator /(Lanes128 a, Lanes128 b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 FusedMultiplyAdd(Lanes128 a, Lanes128 b, Lanes128 c) => new(Vector128.FusedMultiplyAdd(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes128 Sqrt(Lanes128 a) => new(Vector128.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes128 SplitExponent(Lanes128 x, out Lanes128 exponent)
    {
        // Mantissa in [1/2, 1) and unbiased exponent + 1; below sqrt(1/2) the mantissa doubles and the exponent drops.
        var bits = x._v.AsInt32();
        var m = ((bits & Vector128.Create(0x007fffff)) | Vector128.Create(0x3f000000)).AsSingle();
        var low = Vector128.LessThan(m, Vector128.Create(0.70710678f));
        exponent = new(Vector128.ConvertToSingle(Vector128.ShiftRightArithmetic(bits, 23) - Vector128.Create(126)) - (Vector128<float>.One & low));
        return new(m - Vector128<float>.One + (m & low));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllPositiveNormal(Lanes128 x) =>
        Vector128.LessThanAll(x._v.AsUInt32() - Vector128.Create(0x00800000u), Vector128.Create(0x7f000000u));
}

internal readonly unsafe struct Lanes256(Vector256<float> v) : ILaneVector<Lanes256>
{
    private readonly Vector256<float> _v = v;
    public static int Count => 8;
    public static Lanes256 Zero => new(Vector256<float>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Load(float* source) => new(Vector256.Load(source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes256 value, float* destination) => value._v.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Broadcast(float value) => new(Vector256.Create(value));
    public static void Transpose8(float* first, int stride, float* dst) => BlockTranspose.Tile(ref *first, stride, ref *dst, 8);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator +(Lanes256 a, Lanes256 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator -(Lanes256 a, Lanes256 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator *(Lanes256 a, Lanes256 b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 operator /(Lanes256 a, Lanes256 b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 FusedMultiplyAdd(Lanes256 a, Lanes256 b, Lanes256 c) => new(Vector256.FusedMultiplyAdd(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes256 Sqrt(Lanes256 a) => new(Vector256.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 SplitExponent(Lanes256 x, out Lanes256 exponent)
    {
        // Mantissa in [1/2, 1) and unbiased exponent + 1; below sqrt(1/2) the mantissa doubles and the exponent drops.
        var bits = x._v.AsInt32();
        var m = ((bits & Vector256.Create(0x007fffff)) | Vector256.Create(0x3f000000)).AsSingle();
        var low = Vector256.LessThan(m, Vector256.Create(0.70710678f));
        exponent = new(Vector256.ConvertToSingle(Vector256.ShiftRightArithmetic(bits, 23) - Vector256.Create(126)) - (Vector256<float>.One & low));
        return new(m - Vector256<float>.One + (m & low));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllPositiveNormal(Lanes256 x) =>
        Vector256.LessThanAll(x._v.AsUInt32() - Vector256.Create(0x00800000u), Vector256.Create(0x7f000000u));
}

internal readonly unsafe struct Lanes512(Vector512<float> v) : ILaneVector<Lanes512>
{
    private readonly Vector512<float> _v = v;
    public static int Count => 16;
    public static Lanes512 Zero => new(Vector512<float>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Load(float* source) => new(Vector512.Load(source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Lanes512 value, float* destination) => value._v.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Broadcast(float value) => new(Vector512.Create(value));
    public static void Transpose8(float* first, int stride, float* dst)
    {
        BlockTranspose.Tile(ref *first, stride, ref *dst, 16);
        BlockTranspose.Tile(ref first[8 * stride], stride, ref dst[8], 16);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator +(Lanes512 a, Lanes512 b) => new(a._v + b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator -(Lanes512 a, Lanes512 b) => new(a._v - b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator *(Lanes512 a, Lanes512 b) => new(a._v * b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 operator /(Lanes512 a, Lanes512 b) => new(a._v / b._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 FusedMultiplyAdd(Lanes512 a, Lanes512 b, Lanes512 c) => new(Vector512.FusedMultiplyAdd(a._v, b._v, c._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Lanes512 Sqrt(Lanes512 a) => new(Vector512.Sqrt(a._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 SplitExponent(Lanes512 x, out Lanes512 exponent)
    {
        // Mantissa in [1/2, 1) and unbiased exponent + 1; below sqrt(1/2) the mantissa doubles and the exponent drops.
        var bits = x._v.AsInt32();
        var m = ((bits & Vector512.Create(0x007fffff)) | Vector512.Create(0x3f000000)).AsSingle();
        var low = Vector512.LessThan(m, Vector512.Create(0.70710678f));
        exponent = new(Vector512.ConvertToSingle(Vector512.ShiftRightArithmetic(bits, 23) - Vector512.Create(126)) - (Vector512<float>.One & low));
        return new(m - Vector512<float>.One + (m & low));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllPositiveNormal(Lanes512 x) =>
        Vector512.LessThanAll(x._v.AsUInt32() - Vector512.Create(0x00800000u), Vector512.Create(0x7f000000u));
}
