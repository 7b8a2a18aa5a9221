using Aver.Tensors.Kernels;

namespace Aver.Tensors.Nn;

/// <summary>
/// A convolution followed by batch norm, then ReLU or the residual sum and ReLU (ResNet's "conv, bn, ReLU" and the end of
/// its basic block). In evaluation without gradients the batch norm, the sum and the ReLU run inside the convolution's
/// kernel (<see cref="ConvEpilogue"/>): no pass over the output and no tensor of their own, and the same bits as the
/// separate ops. Otherwise (training, or gradients on) it is the separate ops, <see cref="BatchNorm.ForwardRelu"/> and kin,
/// the convolution's output handed back to <see cref="TensorMemory"/> once read.
/// </summary>
public static class ConvBatchNorm
{
    /// <summary>Benches turn this off to compare with the separate ops.</summary>
    internal static bool Fused = true;

    /// <summary><c>bn.Forward(conv.Forward(x))</c>.</summary>
    public static Tensor Forward(Conv2d conv, BatchNorm2d bn, Tensor x) => Run(conv, bn, x, relu: false, residual: null);

    /// <summary><c>bn.ForwardRelu(conv.Forward(x))</c>.</summary>
    public static Tensor ForwardRelu(Conv2d conv, BatchNorm2d bn, Tensor x) => Run(conv, bn, x, relu: true, residual: null);

    /// <summary><c>bn.ForwardAddRelu(conv.Forward(x), residual)</c>.</summary>
    public static Tensor ForwardAddRelu(Conv2d conv, BatchNorm2d bn, Tensor x, Tensor residual)
    {
        ArgumentNullException.ThrowIfNull(residual);
        return Run(conv, bn, x, relu: true, residual);
    }

    private static Tensor Run(Conv2d conv, BatchNorm2d bn, Tensor x, bool relu, Tensor? residual)
    {
        ArgumentNullException.ThrowIfNull(conv);
        ArgumentNullException.ThrowIfNull(bn);
        if (Fuses(conv, bn))
            return x.Conv2dWithEpilogue(conv.Weight, conv.Bias, conv.Stride, conv.Padding, conv.Dilation, conv.Groups, Epilogue(bn, relu, residual));
        var c = conv.Forward(x);
        var y = residual is not null ? bn.ForwardAddRelu(c, residual) : relu ? bn.ForwardRelu(c) : bn.Forward(c);
        TensorMemory.Release(c);
        return y;
    }

    /// <summary>Evaluation with running statistics, no gradients, and the batch norm's channels the convolution's.</summary>
    private static bool Fuses(Conv2d conv, BatchNorm2d bn) =>
        Fused && !GradMode.IsEnabled && !bn.Training && bn.RunningMean is not null && bn.RunningVar is not null && bn.NumFeatures == conv.OutChannels;

    private static ConvEpilogue Epilogue(BatchNorm2d bn, bool relu, Tensor? residual)
    {
        int c = bn.NumFeatures;
        float[] mean = bn.RunningMean!.Data, variance = bn.RunningVar!.Data, scale = new float[c], shift = new float[c];
        for (int ch = 0; ch < c; ch++)
            (_, scale[ch], shift[ch]) = Tensor.BatchNormAffine(mean[ch], variance[ch], bn.Eps, bn.Weight?.Data[ch], bn.Bias?.Data[ch]);
        return new ConvEpilogue(scale, shift, residual, relu);
    }
}
