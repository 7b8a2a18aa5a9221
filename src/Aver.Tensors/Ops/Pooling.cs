using Aver.Tensors.Kernels;

namespace Aver.Tensors;

/// <summary>
/// Max, average and adaptive average pooling over 1, 2 or 3 spatial dimensions, with
/// PyTorch's semantics (<c>F.max_pool2d</c>, <c>F.avg_pool2d</c>, <c>F.adaptive_avg_pool2d</c>, ...).
/// Input [N, C, spatial...]; the stride defaults to the kernel size.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>[N, C, L] -> [N, C, Lout]: the maximum of each window (padding counts as -inf).</summary>
    public Tensor MaxPool1d(Dims kernel, Dims stride = default, Dims padding = default, Dims dilation = default, bool ceilMode = false)
        => MaxPool("MaxPool1d", 1, kernel, stride, padding, dilation, ceilMode);

    /// <summary>[N, C, H, W] -> [N, C, Hout, Wout]: the maximum of each window.</summary>
    public Tensor MaxPool2d(Dims kernel, Dims stride = default, Dims padding = default, Dims dilation = default, bool ceilMode = false)
        => MaxPool("MaxPool2d", 2, kernel, stride, padding, dilation, ceilMode);

    /// <summary>[N, C, D, H, W] -> [N, C, Dout, Hout, Wout]: the maximum of each window.</summary>
    public Tensor MaxPool3d(Dims kernel, Dims stride = default, Dims padding = default, Dims dilation = default, bool ceilMode = false)
        => MaxPool("MaxPool3d", 3, kernel, stride, padding, dilation, ceilMode);

    /// <summary>[N, C, L] -> [N, C, Lout]: the mean of each window; padding counts in the divisor when <paramref name="countIncludePad"/> (PyTorch's default).</summary>
    public Tensor AvgPool1d(Dims kernel, Dims stride = default, Dims padding = default, bool ceilMode = false, bool countIncludePad = true)
        => AvgPool("AvgPool1d", 1, kernel, stride, padding, ceilMode, countIncludePad);

    /// <summary>[N, C, H, W] -> [N, C, Hout, Wout]: the mean of each window.</summary>
    public Tensor AvgPool2d(Dims kernel, Dims stride = default, Dims padding = default, bool ceilMode = false, bool countIncludePad = true)
        => AvgPool("AvgPool2d", 2, kernel, stride, padding, ceilMode, countIncludePad);

    /// <summary>[N, C, D, H, W] -> [N, C, Dout, Hout, Wout]: the mean of each window.</summary>
    public Tensor AvgPool3d(Dims kernel, Dims stride = default, Dims padding = default, bool ceilMode = false, bool countIncludePad = true)
        => AvgPool("AvgPool3d", 3, kernel, stride, padding, ceilMode, countIncludePad);

    /// <summary>[N, C, L] -> [N, C, outputSize]: output i averages [floor(i L / out), ceil((i + 1) L / out)).</summary>
    public Tensor AdaptiveAvgPool1d(Dims outputSize) => AdaptiveAvgPool("AdaptiveAvgPool1d", 1, outputSize);

    /// <summary>[N, C, H, W] -> [N, C, outH, outW]; (1, 1) is global average pooling.</summary>
    public Tensor AdaptiveAvgPool2d(Dims outputSize) => AdaptiveAvgPool("AdaptiveAvgPool2d", 2, outputSize);

    /// <summary>[N, C, D, H, W] -> [N, C, outD, outH, outW].</summary>
    public Tensor AdaptiveAvgPool3d(Dims outputSize) => AdaptiveAvgPool("AdaptiveAvgPool3d", 3, outputSize);

    private Tensor MaxPool(string op, int rank, Dims kernel, Dims stride, Dims padding, Dims dilation, bool ceilMode)
    {
        var w = PoolWindow(op, rank, kernel, stride, padding, dilation, ceilMode);
        int planes = _shape[0] * _shape[1];
        var shape = w.OutputShape(_shape[0], _shape[1], rank);
        var y = TensorMemory.Rent(ShapeMath.Size(shape));
        // The winners' offsets only matter to a backward pass: inference skips them.
        var argmax = GradMode.IsEnabled && RequiresGrad ? GC.AllocateUninitializedArray<int>(y.Length) : null;
        PoolKernels.MaxForward(w, planes, Data, y, argmax);
        var x = this;
        return FromOp(op, y, shape, [x], o =>
        {
            if (x.Grad is not null) { PoolKernels.MaxBackward(w, planes, argmax!, o.Grad!, x.Grad, overwrite: false); return; }
            var gx = TensorMemory.Rent(x.Size);
            PoolKernels.MaxBackward(w, planes, argmax!, o.Grad!, gx, overwrite: true);
            x.AccumulateOwnedGrad(gx);
        });
    }

    private Tensor AvgPool(string op, int rank, Dims kernel, Dims stride, Dims padding, bool ceilMode, bool countIncludePad)
    {
        var w = PoolWindow(op, rank, kernel, stride, padding, default, ceilMode);
        return AveragePool(op, rank, AverageBoxes.Pooling(w, countIncludePad));
    }

    private Tensor AdaptiveAvgPool(string op, int rank, Dims outputSize)
    {
        CheckPoolInput(op, rank);
        var input = new Dims(_shape[2..]).Expand(rank, 1, 1, op, "input size");
        var output = outputSize.Expand(rank, 1, 1, op, "output size");
        for (int i = 0; i < 3; i++)
            if (output[i] < 1) throw new ShapeException($"{op}: output size {outputSize} must be positive (input {ShapeMath.Format(_shape)})");
        return AveragePool(op, rank, AverageBoxes.Adaptive(input, output));
    }

    private Tensor AveragePool(string op, int rank, AverageBoxes boxes)
    {
        int planes = _shape[0] * _shape[1];
        var shape = new int[2 + rank];
        shape[0] = _shape[0]; shape[1] = _shape[1];
        for (int i = 0; i < rank; i++) shape[2 + i] = boxes.Out[3 - rank + i];
        var y = TensorMemory.Rent(ShapeMath.Size(shape));
        PoolKernels.AverageForward(boxes, planes, Data, y);
        var x = this;
        return FromOp(op, y, shape, [x], o => PoolKernels.AverageBackward(boxes, planes, o.Grad!, x.GradBuffer()));
    }

    private Window PoolWindow(string op, int rank, Dims kernel, Dims stride, Dims padding, Dims dilation, bool ceilMode)
    {
        CheckPoolInput(op, rank);
        if (kernel.IsDefault) throw new ArgumentException($"{op}: a kernel size is required");
        var k = kernel.Expand(rank, 1, 1, op, "kernel");
        var s = stride.IsDefault ? k : stride.Expand(rank, 1, 1, op, "stride");
        var p = padding.Expand(rank, 0, 0, op, "padding");
        for (int i = 0; i < 3; i++)
            if (p[i] > k[i] / 2)
                throw new ShapeException($"{op}: padding {padding} must be at most half the kernel {kernel} (input {ShapeMath.Format(_shape)})");
        return Window.Create(op, _shape, rank, k, s, p, dilation.Expand(rank, 1, 1, op, "dilation"), ceilMode);
    }

    private void CheckPoolInput(string op, int rank)
    {
        if (Rank != rank + 2) throw new ShapeException($"{op}: expects input [N, C, {SpatialNames(rank)}], got {ShapeMath.Format(_shape)}");
    }
}
