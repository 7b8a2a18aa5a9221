using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace Aver.Tensors.Onnx;

/// <summary>
/// Inference-only shortcuts the executor takes when no gradient is recorded: 2-d max pooling without
/// padding (no argmax bookkeeping) and elementwise ops that overwrite an input the graph no longer
/// needs, instead of allocating a new (often large-object-heap) array per op.
/// </summary>
internal static class InferenceKernels
{
    /// <summary>Whether the op may skip autograd: gradients off, or no input that wants them.</summary>
    public static bool NoGradFor(params Tensor?[] inputs) =>
        !GradMode.IsEnabled || inputs.All(t => t is null || !t.RequiresGrad);

    /// <summary>Max pooling of [N, C, H, W] with a kh x kw window, stride (sy, sx), no padding, floor mode.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor MaxPool2d(Tensor x, int kh, int kw, int sy, int sx)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        int ho = (h - kh) / sy + 1, wo = (w - kw) / sx + 1;
        var y = GC.AllocateUninitializedArray<float>(n * c * ho * wo);
        var xd = x.Data;
        Engine.For(n * c, plane =>
        {
            var src = xd.AsSpan(plane * h * w, h * w);
            var dst = y.AsSpan(plane * ho * wo, ho * wo);
            for (int oy = 0; oy < ho; oy++)
                for (int ox = 0; ox < wo; ox++)
                {
                    float m = float.NegativeInfinity;
                    for (int ky = 0; ky < kh; ky++)
                    {
                        var row = src.Slice((oy * sy + ky) * w + ox * sx, kw);
                        for (int kx = 0; kx < kw; kx++) if (row[kx] > m) m = row[kx];
                    }
                    dst[oy * wo + ox] = m;
                }
        });
        return new Tensor(y, n, c, ho, wo);
    }

    /// <summary>max(x, 0) written over x.</summary>
    public static Tensor ReluInPlace(Tensor x)
    {
        TensorPrimitives.Max(x.Data, 0f, x.Data);
        return x;
    }

    /// <summary>a + b written over a (same shapes).</summary>
    public static Tensor AddInPlace(Tensor a, Tensor b)
    {
        TensorPrimitives.Add(a.Data, b.Data, a.Data);
        return a;
    }
}
