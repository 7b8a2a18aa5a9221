using System.Numerics.Tensors;

namespace Aver.Tensors.Kernels;

/// <summary>
/// Exact GELU, x Phi(x), vectorised through TensorPrimitives in chunks that stay in L1. The
/// normal CDF uses erf from Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7, under
/// float resolution near 1), the same approximation as PyTorch's vectorised CPU erf.
/// </summary>
internal static class GeluKernel
{
    private const int Chunk = 512;
    private const float InvSqrt2 = 0.70710678118654752f;
    private const float InvSqrt2Pi = 0.39894228040143268f;
    private const float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;

    private const int Block = 16384;

    /// <summary>y = x Phi(x) over whole arrays, in parallel blocks.</summary>
    public static void Forward(float[] x, float[] y) =>
        Engine.For((x.Length + Block - 1) / Block, b => Forward(x.AsSpan(b * Block, Math.Min(Block, x.Length - b * Block)), y.AsSpan(b * Block)));

    /// <summary>dx = g (Phi(x) + x phi(x)) over whole arrays, in parallel blocks.</summary>
    public static void Backward(float[] x, float[] g, float[] dx) =>
        Engine.For((x.Length + Block - 1) / Block, b =>
        {
            int start = b * Block, n = Math.Min(Block, x.Length - start);
            Backward(x.AsSpan(start, n), g.AsSpan(start, n), dx.AsSpan(start, n));
        });

    /// <summary>y = x Phi(x).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        Span<float> cdf = stackalloc float[Chunk];
        Span<float> pdf = stackalloc float[Chunk];
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            var xs = x.Slice(start, n);
            CdfAndPdf(xs, cdf[..n], pdf[..n]);
            TensorPrimitives.Multiply(xs, cdf[..n], y.Slice(start, n));
        }
    }

    /// <summary>dx = g (Phi(x) + x phi(x)).</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> dx)
    {
        Span<float> cdf = stackalloc float[Chunk];
        Span<float> pdf = stackalloc float[Chunk];
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            var xs = x.Slice(start, n);
            var c = cdf[..n]; var p = pdf[..n];
            CdfAndPdf(xs, c, p);
            TensorPrimitives.MultiplyAdd(xs, p, c, c);
            TensorPrimitives.Multiply(g.Slice(start, n), c, dx.Slice(start, n));
        }
    }

    /// <summary>Phi(x) and phi(x) for one chunk.</summary>
    private static void CdfAndPdf(ReadOnlySpan<float> x, Span<float> cdf, Span<float> pdf)
    {
        Span<float> t = stackalloc float[x.Length];
        // a = |x| / sqrt 2; pdf <- exp(-a^2) (= sqrt(2 pi) phi(x)); t = 1 / (1 + P a)
        TensorPrimitives.Abs(x, cdf);
        TensorPrimitives.Multiply(cdf, InvSqrt2, cdf);
        TensorPrimitives.Multiply(cdf, cdf, pdf);
        TensorPrimitives.Negate(pdf, pdf);
        TensorPrimitives.Exp(pdf, pdf);
        TensorPrimitives.Multiply(cdf, P, t);
        TensorPrimitives.Add(t, 1f, t);
        TensorPrimitives.Reciprocal(t, t);
        // erf(a) = 1 - t (A1 + t (A2 + t (A3 + t (A4 + t A5)))) exp(-a^2), by Horner into cdf
        TensorPrimitives.Multiply(t, A5, cdf);
        TensorPrimitives.Add(cdf, A4, cdf);
        TensorPrimitives.MultiplyAdd(cdf, t, A3, cdf);
        TensorPrimitives.MultiplyAdd(cdf, t, A2, cdf);
        TensorPrimitives.MultiplyAdd(cdf, t, A1, cdf);
        TensorPrimitives.Multiply(cdf, t, cdf);
        TensorPrimitives.Multiply(cdf, pdf, cdf); // cdf = 1 - erf(a) = erfc(a)
        // Phi(x) = 1/2 + sign(x) erf(a) / 2 = 1/2 + copysign(1/2 - erfc(a) / 2, x)
        TensorPrimitives.Multiply(cdf, -0.5f, cdf);
        TensorPrimitives.Add(cdf, 0.5f, cdf);
        TensorPrimitives.CopySign(cdf, x, cdf);
        TensorPrimitives.Add(cdf, 0.5f, cdf);
        TensorPrimitives.Multiply(pdf, InvSqrt2Pi, pdf);
    }
}
