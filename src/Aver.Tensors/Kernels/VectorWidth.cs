using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Aver.Tensors.Kernels;

/// <summary>The vector width an elementwise family loop runs at.</summary>
internal enum VectorWidth
{
    /// <summary>Scalar code only (no accelerated vectors at all).</summary>
    None,
    /// <summary>Vector128: the portable path of <see cref="IsaPath.Scalar"/> (SSE on x64, NEON on Arm).</summary>
    V128,
    /// <summary>Vector256, on the <see cref="IsaPath.Avx2"/> path.</summary>
    V256,
    /// <summary>Vector512, on the <see cref="IsaPath.Avx512"/> path.</summary>
    V512,
}

/// <summary>Picks the family loops' vector width from <see cref="Engine.Isa"/>, at each call so tests can force every path.</summary>
internal static class VectorWidths
{
    /// <summary>
    /// The width for the current <see cref="Engine.Isa"/>. AVX-512 is checked with Avx512F.IsSupported,
    /// not Vector512.IsHardwareAccelerated, which .NET reports false on CPUs (this one) where it
    /// prefers 256-bit code although 512-bit instructions run.
    /// </summary>
    public static VectorWidth Current => Engine.Isa switch
    {
        IsaPath.Avx512 when Avx512F.IsSupported => VectorWidth.V512,
        >= IsaPath.Avx2 when Avx2.IsSupported => VectorWidth.V256,
        _ => Vector128.IsHardwareAccelerated ? VectorWidth.V128 : VectorWidth.None,
    };
}
