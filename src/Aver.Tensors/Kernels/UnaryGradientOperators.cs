using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Aver.Tensors.Kernels;

/// <summary>
/// The backward of an elementwise map y = f(x; a): dx = g f'(x, y; a), one struct per function with a
/// scalar and a vector <c>Invoke</c> per width; <see cref="UnaryKernels.Gradient{TOp}"/> holds the one
/// loop. <see cref="ReadsInput"/> and <see cref="ReadsOutput"/> say which of x and y the rule needs, so
/// the loop streams only those (and the caller may pass an empty span for the other).
/// Each rule reads g[i] before writing dx[i], so dx may be g itself.
/// </summary>
public interface IUnaryGradientOperator
{
    static virtual bool Vectorizable => true;
    static virtual bool ReadsInput => true;
    static virtual bool ReadsOutput => true;

    /// <summary>
    /// The whole span through TensorPrimitives, for rules it has as one call (g y, g / x), where it
    /// measured faster than the family loop on large spans; false: the loop runs.
    /// </summary>
    static virtual bool TryTensorPrimitives(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx) => false;

    static abstract float Invoke(float x, float y, float g, float a);
    static virtual Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> g, Vector128<float> a) => throw new NotSupportedException();
    static virtual Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> g, Vector256<float> a) => throw new NotSupportedException();
    static virtual Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> g, Vector512<float> a) => throw new NotSupportedException();
}

/// <summary>ReLU's backward from its output: g where y &gt; 0, else 0.</summary>
public readonly struct ReluGradient : IUnaryGradientOperator
{
    public static bool ReadsInput => false;
    public static float Invoke(float x, float y, float g, float a) => y > 0 ? g : 0f;
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> g, Vector128<float> a) => Vector128.ConditionalSelect(Vector128.GreaterThan(y, Vector128<float>.Zero), g, Vector128<float>.Zero);
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> g, Vector256<float> a) => Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), g, Vector256<float>.Zero);
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> g, Vector512<float> a) => Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), g, Vector512<float>.Zero);
}

/// <summary>|x|'s backward: g sign(x), 0 at 0.</summary>
public readonly struct AbsGradient : IUnaryGradientOperator
{
    public static bool ReadsOutput => false;
    public static float Invoke(float x, float y, float g, float a) => x > 0 ? g : x < 0 ? -g : 0f;
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> g, Vector128<float> a) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), g, Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), -g, Vector128<float>.Zero));
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> g, Vector256<float> a) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), g, Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), -g, Vector256<float>.Zero));
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> g, Vector512<float> a) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), g, Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), -g, Vector512<float>.Zero));
}

/// <summary>sqrt's backward: g / y / 2, as (g / y) 0.5.</summary>
public readonly struct SqrtGradient : IUnaryGradientOperator
{
    public static bool ReadsInput => false;
    public static float Invoke(float x, float y, float g, float a) => g / y * 0.5f;
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> g, Vector128<float> a) => g / y * 0.5f;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> g, Vector256<float> a) => g / y * 0.5f;
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> g, Vector512<float> a) => g / y * 0.5f;
}

/// <summary>The sigmoid's backward: g y (1 - y), as (g y) (1 - y).</summary>
public readonly struct SigmoidGradient : IUnaryGradientOperator
{
    public static bool ReadsInput => false;
    public static float Invoke(float x, float y, float g, float a) => g * y * (1f - y);
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> g, Vector128<float> a) => g * y * (Vector128<float>.One - y);
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> g, Vector256<float> a) => g * y * (Vector256<float>.One - y);
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> g, Vector512<float> a) => g * y * (Vector512<float>.One - y);
}

/// <summary>tanh's backward: g (1 - y^2).</summary>
public readonly struct TanhGradient : IUnaryGradientOperator
{
    public static bool ReadsInput => false;
    public static float Invoke(float x, float y, float g, float a) => g * (1f - y * y);
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> g, Vector128<float> a) => g * (Vector128<float>.One - y * y);
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> g, Vector256<float> a) => g * (Vector256<float>.One - y * y);
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> g, Vector512<float> a) => g * (Vector512<float>.One - y * y);
}

/// <summary>LeakyReLU's backward: g for x &gt; 0, else a g (also PReLU's input gradient, a = the slope).</summary>
public readonly struct LeakyReluGradient : IUnaryGradientOperator
{
    public static bool ReadsOutput => false;
    public static float Invoke(float x, float y, float g, float a) => x > 0 ? g : a * g;
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> g, Vector128<float> a) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), g, a * g);
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> g, Vector256<float> a) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), g, a * g);
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> g, Vector512<float> a) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), g, a * g);
}

/// <summary>ELU's backward: g for x &gt; 0, else g (y + a) (= g a exp(x)).</summary>
public readonly struct EluGradient : IUnaryGradientOperator
{
    public static float Invoke(float x, float y, float g, float a) => x > 0 ? g : g * (y + a);
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> g, Vector128<float> a) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), g, g * (y + a));
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> g, Vector256<float> a) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), g, g * (y + a));
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> g, Vector512<float> a) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), g, g * (y + a));
}

/// <summary>The backward of GELU's tanh approximation (a unused). Scalar only (MathF.Tanh).</summary>
public readonly struct GeluTanhGradient : IUnaryGradientOperator
{
    public static bool Vectorizable => false;
    public static bool ReadsOutput => false;
    public static float Invoke(float x, float y, float g, float a)
    {
        const float k = GeluTanhOperator.Sqrt2OverPi, c = GeluTanhOperator.Cubic;
        float t = MathF.Tanh(k * (x + c * x * x * x));
        float dInner = k * (1f + 3f * c * x * x);
        return g * (0.5f * (1f + t) + 0.5f * x * (1f - t * t) * dInner);
    }
}

/// <summary>exp's backward: g y.</summary>
public readonly struct ExpGradient : IUnaryGradientOperator
{
    public static bool ReadsInput => false;
    public static bool TryTensorPrimitives(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx)
    {
        TensorPrimitives.Multiply(g, y, dx);
        return true;
    }
    public static float Invoke(float x, float y, float g, float a) => g * y;
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> g, Vector128<float> a) => g * y;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> g, Vector256<float> a) => g * y;
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> g, Vector512<float> a) => g * y;
}

/// <summary>log's backward: g / x.</summary>
public readonly struct LogGradient : IUnaryGradientOperator
{
    public static bool ReadsOutput => false;
    public static bool TryTensorPrimitives(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx)
    {
        TensorPrimitives.Divide(g, x, dx);
        return true;
    }
    public static float Invoke(float x, float y, float g, float a) => g / x;
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y, Vector128<float> g, Vector128<float> a) => g / x;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y, Vector256<float> g, Vector256<float> a) => g / x;
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y, Vector512<float> g, Vector512<float> a) => g / x;
}
