namespace Aver.Tensors.Kernels;

/// <summary>
/// What an inference convolution does to its output before it leaves the kernel: y = max((s_c y + t_c) + r, 0) with a
/// per-channel scale s and shift t (an evaluation-mode batch norm), the residual r [N, Cout, *] when given, ReLU when
/// asked. ResNet's "conv, bn, ReLU" and "conv, bn, add the shortcut, ReLU" then cost no pass of their own: Winograd
/// applies it to each output tile in registers, im2col to each sample's outputs while they are in cache. The arithmetic
/// is the batch-norm op's own (<see cref="ScaleShiftAddReluOperator"/> and its kin, the same order of operations), so the
/// result has the same bits as the unfused ops.
/// </summary>
internal sealed class ConvEpilogue(float[] scale, float[] shift, Tensor? residual, bool relu)
{
    public readonly float[] Scale = scale, Shift = shift;
    public readonly float[]? Residual = residual?.Data;
    public readonly int[]? ResidualShape = residual?.Shape.ToArray();
    public readonly bool Relu = relu;

    /// <summary>Applies it in place to channels [c0, c0 + channels) of sample n of y ([N, Cout, plane]).</summary>
    public void Apply(float[] y, int n, int cout, int c0, int channels, int plane)
    {
        for (int c = c0; c < c0 + channels; c++)
        {
            int at = (n * cout + c) * plane;
            var d = y.AsSpan(at, plane);
            AffineKernels.ScaleShift(d, Residual is null ? default : Residual.AsSpan(at, plane), Scale[c], Shift[c], Relu, d);
        }
    }

    /// <summary>Applies it to every sample and channel of y.</summary>
    public void Apply(float[] y, int batch, int cout, int plane)
        => Engine.For(batch, n => Apply(y, n, cout, 0, cout, plane));
}
