using System.Runtime.Intrinsics;

namespace Aver.Tensors.Kernels;

/// <summary>
/// An elementwise map y = f(x; a) in the TensorPrimitives shape: one struct per function with a
/// scalar and a vector <c>Invoke</c> per width; <see cref="UnaryKernels.Map{TOp}"/> holds the one loop.
/// <c>a</c> is the function's constant (LeakyReLU's slope, ELU's alpha). Functions TensorPrimitives
/// has (Exp, Log, Sqrt, Abs, Sigmoid, Tanh, ReLU as Max(x, 0)) are called there directly instead.
/// </summary>
public interface IUnaryOperator
{
    /// <summary>False for functions written for scalars only: the loop then runs <see cref="Invoke(float, float)"/> everywhere.</summary>
    static virtual bool Vectorizable => true;
    static abstract float Invoke(float x, float a);
    static virtual Vector128<float> Invoke(Vector128<float> x, Vector128<float> a) => throw new NotSupportedException();
    static virtual Vector256<float> Invoke(Vector256<float> x, Vector256<float> a) => throw new NotSupportedException();
    static virtual Vector512<float> Invoke(Vector512<float> x, Vector512<float> a) => throw new NotSupportedException();
}

/// <summary>LeakyReLU: x for x &gt; 0, else a x (NaN stays NaN).</summary>
public readonly struct LeakyReluOperator : IUnaryOperator
{
    public static float Invoke(float x, float a) => x > 0 ? x : a * x;
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> a) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, a * x);
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> a) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, a * x);
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> a) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, a * x);
}

/// <summary>
/// ELU: x for x &gt; 0, else a (exp(x) - 1). Scalar only: a vector exp rounds differently from
/// MathF.Exp, and this keeps the results the op has always given.
/// </summary>
public readonly struct EluOperator : IUnaryOperator
{
    public static bool Vectorizable => false;
    public static float Invoke(float x, float a) => x > 0 ? x : a * (MathF.Exp(x) - 1f);
}

/// <summary>GELU's tanh approximation, x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2 (a unused). Scalar only (MathF.Tanh).</summary>
public readonly struct GeluTanhOperator : IUnaryOperator
{
    internal const float Sqrt2OverPi = 0.79788456080286536f;
    internal const float Cubic = 0.044715f;

    public static bool Vectorizable => false;
    public static float Invoke(float x, float a) => 0.5f * x * (1f + MathF.Tanh(Sqrt2OverPi * (x + Cubic * x * x * x)));
}
