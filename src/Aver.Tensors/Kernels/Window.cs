namespace Aver.Tensors.Kernels;

/// <summary>
/// The sliding-window geometry shared by convolution and pooling, always in three spatial
/// dimensions (depth, height, width): 1d and 2d ops run with leading unit dimensions, so one
/// kernel serves every rank.
/// </summary>
internal sealed class Window
{
    public readonly int[] In, Out, Kernel, Stride, Padding, Dilation;
    public readonly int InVolume, OutVolume, KernelVolume;
    /// <summary>Floats per width position (1, or the samples interleaved at each position; see <see cref="InterleavedWidth"/>).</summary>
    public readonly int Block = 1;

    private Window(int[] input, int[] output, int[] kernel, int[] stride, int[] padding, int[] dilation, int block = 1)
    {
        In = input; Out = output; Kernel = kernel; Stride = stride; Padding = padding; Dilation = dilation; Block = block;
        InVolume = input[0] * input[1] * input[2];
        OutVolume = output[0] * output[1] * output[2];
        KernelVolume = kernel[0] * kernel[1] * kernel[2];
    }

    /// <summary>
    /// Output size per dimension: floor((in + 2p - d(k-1) - 1) / s) + 1, or with ceil in
    /// <paramref name="ceilMode"/>, dropping a last window that would start in the right padding (PyTorch's rule).
    /// </summary>
    public static Window Create(string op, ReadOnlySpan<int> inputShape, int rank, int[] kernel, int[] stride, int[] padding, int[] dilation, bool ceilMode = false)
    {
        var input = new int[] { 1, 1, 1 };
        for (int i = 0; i < rank; i++) input[3 - rank + i] = inputShape[inputShape.Length - rank + i];
        var output = new int[3];
        for (int i = 0; i < 3; i++)
        {
            if (kernel[i] < 1 || stride[i] < 1 || dilation[i] < 1 || padding[i] < 0)
                throw new ArgumentOutOfRangeException(op, $"{op}: kernel {Tail(kernel, rank)}, stride {Tail(stride, rank)} and dilation {Tail(dilation, rank)} must be positive and padding {Tail(padding, rank)} non-negative");
            int span = dilation[i] * (kernel[i] - 1) + 1;
            int room = input[i] + 2 * padding[i] - span;
            if (room < 0)
                throw new ShapeException($"{op}: input {ShapeMath.Format(inputShape)} is smaller than the kernel {Tail(kernel, rank)} (dilation {Tail(dilation, rank)}, padding {Tail(padding, rank)})");
            int o = (ceilMode ? (room + stride[i] - 1) / stride[i] : room / stride[i]) + 1;
            if (ceilMode && (o - 1) * stride[i] >= input[i] + padding[i]) o--;
            output[i] = o;
        }
        return new Window(input, output, kernel, stride, padding, dilation);
    }

    /// <summary>
    /// The same window over <paramref name="samples"/> inputs interleaved along the width (index
    /// (w, sample) = w * samples + sample, see <see cref="SampleInterleave"/>), so each output
    /// (ow, sample) reads only its own sample. With a unit width stride this is an ordinary window
    /// whose width, padding and dilation are scaled by the sample count (so im2col's long shifted
    /// runs apply); otherwise the geometry stays and each width position becomes a
    /// <see cref="Block"/> of <paramref name="samples"/> floats.
    /// </summary>
    public Window InterleavedWidth(int samples)
    {
        if (samples == 1) return this;
        if (Stride[2] != 1) return new Window(In, Out, Kernel, Stride, Padding, Dilation, samples);
        return new Window(
            [In[0], In[1], In[2] * samples], [Out[0], Out[1], Out[2] * samples], Kernel,
            Stride, [Padding[0], Padding[1], Padding[2] * samples], [Dilation[0], Dilation[1], Dilation[2] * samples]);
    }

    /// <summary>
    /// A 1x1 unit-stride window from an <paramref name="h"/> x <paramref name="w"/> plane to an
    /// <paramref name="outH"/> x <paramref name="outW"/> output whose position (oh, ow) reads (oh + dr, ow + dc):
    /// a shift, written as (possibly negative) padding, with zero where it reads outside the plane.
    /// </summary>
    public static Window Shift(int h, int w, int outH, int outW, int dr, int dc)
        => new([1, h, w], [1, outH, outW], [1, 1, 1], [1, 1, 1], [0, -dr, -dc], [1, 1, 1]);

    /// <summary>The output shape [N, channels, spatial...] for an op of <paramref name="rank"/> spatial dimensions.</summary>
    public int[] OutputShape(int batch, int channels, int rank)
    {
        var s = new int[2 + rank];
        s[0] = batch; s[1] = channels;
        for (int i = 0; i < rank; i++) s[2 + i] = Out[3 - rank + i];
        return s;
    }

    public static string Tail(int[] v, int rank) => ShapeMath.Format(v.AsSpan(3 - rank));
}
