using System.Runtime.Intrinsics;

namespace Aver.Tensors.Kernels;

/// <summary>
/// A one-pass affine combination d = f(x, z; p, q, r) of one or two spans and three constants, in the
/// TensorPrimitives shape: one struct per formula with a scalar and a vector <c>Invoke</c> per width;
/// <see cref="AffineKernels.Apply{TOp}"/> holds the one loop. These fuse what TensorPrimitives would do
/// in two or three passes over memory (batch norm's y = p x + q with ReLU and the residual sum).
/// A formula that ignores z says so with <see cref="ReadsSecond"/>, and the caller may pass an empty span.
/// </summary>
public interface IAffineOperator
{
    static virtual bool ReadsSecond => true;
    static abstract float Invoke(float x, float z, float p, float q, float r);
    static abstract Vector128<float> Invoke(Vector128<float> x, Vector128<float> z, Vector128<float> p, Vector128<float> q, Vector128<float> r);
    static abstract Vector256<float> Invoke(Vector256<float> x, Vector256<float> z, Vector256<float> p, Vector256<float> q, Vector256<float> r);
    static abstract Vector512<float> Invoke(Vector512<float> x, Vector512<float> z, Vector512<float> p, Vector512<float> q, Vector512<float> r);
}

/// <summary>d = p x + q.</summary>
public readonly struct ScaleShiftOperator : IAffineOperator
{
    public static bool ReadsSecond => false;
    public static float Invoke(float x, float z, float p, float q, float r) => p * x + q;
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> z, Vector128<float> p, Vector128<float> q, Vector128<float> r) => x * p + q;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> z, Vector256<float> p, Vector256<float> q, Vector256<float> r) => x * p + q;
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> z, Vector512<float> p, Vector512<float> q, Vector512<float> r) => x * p + q;
}

/// <summary>d = max(p x + q, 0), with <see cref="Tensor.Relu"/>'s NaN rule (NaN stays).</summary>
public readonly struct ScaleShiftReluOperator : IAffineOperator
{
    public static bool ReadsSecond => false;
    public static float Invoke(float x, float z, float p, float q, float r) => MathF.Max(p * x + q, 0f);
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> z, Vector128<float> p, Vector128<float> q, Vector128<float> r) => Vector128.Max(x * p + q, Vector128<float>.Zero);
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> z, Vector256<float> p, Vector256<float> q, Vector256<float> r) => Vector256.Max(x * p + q, Vector256<float>.Zero);
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> z, Vector512<float> p, Vector512<float> q, Vector512<float> r) => Vector512.Max(x * p + q, Vector512<float>.Zero);
}

/// <summary>d = (p x + q) + z: batch norm and the residual sum, in the unfused ops' order of operations.</summary>
public readonly struct ScaleShiftAddOperator : IAffineOperator
{
    public static float Invoke(float x, float z, float p, float q, float r) => p * x + q + z;
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> z, Vector128<float> p, Vector128<float> q, Vector128<float> r) => x * p + q + z;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> z, Vector256<float> p, Vector256<float> q, Vector256<float> r) => x * p + q + z;
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> z, Vector512<float> p, Vector512<float> q, Vector512<float> r) => x * p + q + z;
}

/// <summary>d = max((p x + q) + z, 0): batch norm, the residual sum and ReLU in one pass.</summary>
public readonly struct ScaleShiftAddReluOperator : IAffineOperator
{
    public static float Invoke(float x, float z, float p, float q, float r) => MathF.Max(p * x + q + z, 0f);
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> z, Vector128<float> p, Vector128<float> q, Vector128<float> r) => Vector128.Max(x * p + q + z, Vector128<float>.Zero);
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> z, Vector256<float> p, Vector256<float> q, Vector256<float> r) => Vector256.Max(x * p + q + z, Vector256<float>.Zero);
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> z, Vector512<float> p, Vector512<float> q, Vector512<float> r) => Vector512.Max(x * p + q + z, Vector512<float>.Zero);
}

/// <summary>d = p x + q z + r (batch norm's input gradient, x = the output gradient, z = the input).</summary>
public readonly struct CombineOperator : IAffineOperator
{
    public static float Invoke(float x, float z, float p, float q, float r) => p * x + q * z + r;
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> z, Vector128<float> p, Vector128<float> q, Vector128<float> r) => x * p + z * q + r;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> z, Vector256<float> p, Vector256<float> q, Vector256<float> r) => x * p + z * q + r;
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> z, Vector512<float> p, Vector512<float> q, Vector512<float> r) => x * p + z * q + r;
}

/// <summary>d = max(x + z, 0) (p, q, r unused): the end of a residual block, NaN stays NaN.</summary>
public readonly struct AddReluOperator : IAffineOperator
{
    public static float Invoke(float x, float z, float p, float q, float r) => MathF.Max(x + z, 0f);
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> z, Vector128<float> p, Vector128<float> q, Vector128<float> r) => Vector128.Max(x + z, Vector128<float>.Zero);
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> z, Vector256<float> p, Vector256<float> q, Vector256<float> r) => Vector256.Max(x + z, Vector256<float>.Zero);
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> z, Vector512<float> p, Vector512<float> q, Vector512<float> r) => Vector512.Max(x + z, Vector512<float>.Zero);
}
