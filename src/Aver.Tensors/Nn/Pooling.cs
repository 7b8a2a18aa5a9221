namespace Aver.Tensors.Nn;

/// <summary>A parameter-free layer that applies one tensor op (the pooling modules below).</summary>
public abstract class OpModule(Func<Tensor, Tensor> op) : Module
{
    public override Tensor Forward(Tensor input) => op(input);
}

/// <summary>1d max pooling (PyTorch's <c>nn.MaxPool1d</c>): [N, C, L] -> [N, C, Lout]; the stride defaults to the kernel size.</summary>
public sealed class MaxPool1d(Dims kernelSize, Dims stride = default, Dims padding = default, Dims dilation = default, bool ceilMode = false)
    : OpModule(x => x.MaxPool1d(kernelSize, stride, padding, dilation, ceilMode));

/// <summary>2d max pooling (PyTorch's <c>nn.MaxPool2d</c>): [N, C, H, W] -> [N, C, Hout, Wout]; the stride defaults to the kernel size.</summary>
public sealed class MaxPool2d(Dims kernelSize, Dims stride = default, Dims padding = default, Dims dilation = default, bool ceilMode = false)
    : OpModule(x => x.MaxPool2d(kernelSize, stride, padding, dilation, ceilMode));

/// <summary>3d max pooling (PyTorch's <c>nn.MaxPool3d</c>): [N, C, D, H, W] -> [N, C, Dout, Hout, Wout]; the stride defaults to the kernel size.</summary>
public sealed class MaxPool3d(Dims kernelSize, Dims stride = default, Dims padding = default, Dims dilation = default, bool ceilMode = false)
    : OpModule(x => x.MaxPool3d(kernelSize, stride, padding, dilation, ceilMode));

/// <summary>1d average pooling (PyTorch's <c>nn.AvgPool1d</c>, count_include_pad = true by default).</summary>
public sealed class AvgPool1d(Dims kernelSize, Dims stride = default, Dims padding = default, bool ceilMode = false, bool countIncludePad = true)
    : OpModule(x => x.AvgPool1d(kernelSize, stride, padding, ceilMode, countIncludePad));

/// <summary>2d average pooling (PyTorch's <c>nn.AvgPool2d</c>, count_include_pad = true by default).</summary>
public sealed class AvgPool2d(Dims kernelSize, Dims stride = default, Dims padding = default, bool ceilMode = false, bool countIncludePad = true)
    : OpModule(x => x.AvgPool2d(kernelSize, stride, padding, ceilMode, countIncludePad));

/// <summary>3d average pooling (PyTorch's <c>nn.AvgPool3d</c>, count_include_pad = true by default).</summary>
public sealed class AvgPool3d(Dims kernelSize, Dims stride = default, Dims padding = default, bool ceilMode = false, bool countIncludePad = true)
    : OpModule(x => x.AvgPool3d(kernelSize, stride, padding, ceilMode, countIncludePad));

/// <summary>Adaptive average pooling to a fixed length (PyTorch's <c>nn.AdaptiveAvgPool1d</c>).</summary>
public sealed class AdaptiveAvgPool1d(Dims outputSize) : OpModule(x => x.AdaptiveAvgPool1d(outputSize));

/// <summary>Adaptive average pooling to a fixed size (PyTorch's <c>nn.AdaptiveAvgPool2d</c>; (1, 1) = global average).</summary>
public sealed class AdaptiveAvgPool2d(Dims outputSize) : OpModule(x => x.AdaptiveAvgPool2d(outputSize));

/// <summary>Adaptive average pooling to a fixed volume (PyTorch's <c>nn.AdaptiveAvgPool3d</c>).</summary>
public sealed class AdaptiveAvgPool3d(Dims outputSize) : OpModule(x => x.AdaptiveAvgPool3d(outputSize));
