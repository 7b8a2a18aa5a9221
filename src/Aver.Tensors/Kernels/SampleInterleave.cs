using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Aver.Tensors.Kernels;

/// <summary>
/// Moves the blocks of several samples into one block with the sample as the fastest index and
/// back: [samples][length] (blocks <c>stride</c> apart in a batch array) &lt;-&gt; [length][samples].
/// Convolutions over small images unfold a whole group of samples at once this way (see
/// <see cref="ConvPlan.Interleaved"/>): with the samples side by side inside every image row, a
/// kernel tap's column row is a few long runs instead of many runs as short as the image width.
/// </summary>
internal static class SampleInterleave
{
    /// <summary>dst[i * samples + s] = src[first + s * stride + i] for i in [0, length), s in [0, samples).</summary>
    public static void Gather(float[] src, int first, int stride, int length, int samples, Span<float> dst)
    {
        if (dst.Length < length * samples || first + (samples - 1) * stride + length > src.Length)
            throw new ArgumentException("SampleInterleave.Gather: blocks out of range");
        ref float d0 = ref MemoryMarshal.GetReference(dst);
        for (int s = 0; s < samples; s++)
        {
            ref float from = ref src[first + s * stride];
            ref float to = ref Unsafe.Add(ref d0, s);
            for (int i = 0; i < length; i++) Unsafe.Add(ref to, i * samples) = Unsafe.Add(ref from, i);
        }
    }

    /// <summary>
    /// dst[first + s * stride + i] = (or += when <paramref name="accumulate"/>) src[i * samples + s];
    /// with <paramref name="bias"/>, each run of <paramref name="biasRun"/> values of a sample's block
    /// also gets its bias entry added (the per-channel bias of a convolution output).
    /// </summary>
    public static void Scatter(ReadOnlySpan<float> src, int length, int samples, float[] dst, int first, int stride, bool accumulate, ReadOnlySpan<float> bias = default, int biasRun = 1)
    {
        if (src.Length < length * samples || first + (samples - 1) * stride + length > dst.Length)
            throw new ArgumentException("SampleInterleave.Scatter: blocks out of range");
        ref float s0 = ref MemoryMarshal.GetReference(src);
        for (int s = 0; s < samples; s++)
        {
            ref float from = ref Unsafe.Add(ref s0, s);
            ref float to = ref dst[first + s * stride];
            if (accumulate) for (int i = 0; i < length; i++) Unsafe.Add(ref to, i) += Unsafe.Add(ref from, i * samples);
            else for (int i = 0; i < length; i++) Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i * samples);
            if (bias.IsEmpty) continue;
            var block = dst.AsSpan(first + s * stride, length);
            for (int b = 0; b * biasRun < length; b++)
            {
                var run = block.Slice(b * biasRun, biasRun);
                TensorPrimitives.Add(run, bias[b], run);
            }
        }
    }
}
