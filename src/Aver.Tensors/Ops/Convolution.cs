using Aver.Tensors.Kernels;

namespace Aver.Tensors;

/// <summary>
/// Convolutions over 1, 2 or 3 spatial dimensions (PyTorch's <c>F.conv1d/2d/3d</c>), one
/// implementation for all ranks: im2col plus a matrix product per sample and group.
/// </summary>
public sealed partial class Tensor
{
    /// <summary>
    /// Input [N, C, L], weight [Cout, C/groups, k], bias [Cout] or null -> [N, Cout, Lout] with
    /// Lout = floor((L + 2 padding - dilation (k - 1) - 1) / stride) + 1.
    /// </summary>
    public Tensor Conv1d(Tensor weight, Tensor? bias = null, Dims stride = default, Dims padding = default, Dims dilation = default, int groups = 1)
        => Convolution("Conv1d", 1, weight, bias, stride, padding, dilation, groups);

    /// <summary>Input [N, C, H, W], weight [Cout, C/groups, kh, kw], bias [Cout] or null -> [N, Cout, Hout, Wout].</summary>
    public Tensor Conv2d(Tensor weight, Tensor? bias = null, Dims stride = default, Dims padding = default, Dims dilation = default, int groups = 1)
        => Convolution("Conv2d", 2, weight, bias, stride, padding, dilation, groups);

    /// <summary>Input [N, C, D, H, W], weight [Cout, C/groups, kd, kh, kw], bias [Cout] or null -> [N, Cout, Dout, Hout, Wout].</summary>
    public Tensor Conv3d(Tensor weight, Tensor? bias = null, Dims stride = default, Dims padding = default, Dims dilation = default, int groups = 1)
        => Convolution("Conv3d", 3, weight, bias, stride, padding, dilation, groups);

    /// <summary>
    /// Conv2d whose output goes through <paramref name="epilogue"/> inside the kernel (<see cref="Nn.ConvBatchNorm"/>):
    /// inference only, so no gradient flows through it.
    /// </summary>
    internal Tensor Conv2dWithEpilogue(Tensor weight, Tensor? bias, Dims stride, Dims padding, Dims dilation, int groups, ConvEpilogue epilogue)
    {
        if (GradMode.IsEnabled) throw new InvalidOperationException("Conv2d with a fused batch norm runs without gradients only");
        return Convolution("Conv2dBatchNorm", 2, weight, bias, stride, padding, dilation, groups, epilogue);
    }

    private Tensor Convolution(string op, int rank, Tensor weight, Tensor? bias, Dims stride, Dims padding, Dims dilation, int groups,
        ConvEpilogue? epilogue = null)
    {
        string shapes = $"input {ShapeMath.Format(_shape)}, weight {ShapeMath.Format(weight._shape)}";
        if (Rank != rank + 2) throw new ShapeException($"{op}: expects input [N, C, {SpatialNames(rank)}], got {shapes}");
        if (weight.Rank != rank + 2) throw new ShapeException($"{op}: expects weight [Cout, C/groups, {KernelNames(rank)}], got {shapes}");
        if (groups < 1) throw new ArgumentOutOfRangeException(nameof(groups), groups, $"{op}: groups must be at least 1");
        int n = _shape[0], c = _shape[1], cout = weight._shape[0];
        if (c % groups != 0 || cout % groups != 0)
            throw new ShapeException($"{op}: {c} input and {cout} output channels must both be divisible by groups = {groups} ({shapes})");
        if (weight._shape[1] * groups != c)
            throw new ShapeException($"{op}: input has {c} channels but weight expects {weight._shape[1] * groups} ({weight._shape[1]} per group x {groups} groups); {shapes}");
        if (bias is not null && (bias.Rank != 1 || bias._shape[0] != cout))
            throw new ShapeException($"{op}: bias {ShapeMath.Format(bias._shape)} does not match {cout} output channels ({shapes})");

        var kernel = new Dims(weight._shape[2..]).Expand(rank, 1, 1, op, "kernel");
        var window = Window.Create(op, _shape, rank,
            kernel,
            stride.Expand(rank, 1, 1, op, "stride"),
            padding.Expand(rank, 0, 0, op, "padding"),
            dilation.Expand(rank, 1, 1, op, "dilation"));
        var plan = new ConvPlan(n, c, cout, groups, window);
        var shape = window.OutputShape(n, cout, rank);
        if (epilogue is not null && epilogue.Scale.Length != cout)
            throw new ShapeException($"{op}: the batch norm's {epilogue.Scale.Length} channels do not match output {ShapeMath.Format(shape)}");
        if (epilogue?.ResidualShape is { } rs && !ShapeMath.SameShape(rs, shape))
            throw new ShapeException($"{op}: residual {ShapeMath.Format(rs)} does not match output {ShapeMath.Format(shape)}");
        var y = TensorMemory.Rent(ShapeMath.Size(shape));
        // Work the backward pass can reuse is kept only when it will run and want the input gradient.
        var kept = ConvKernels.Forward(plan, Data, weight.Data, bias?.Data, y, epilogue, keepKernels: GradMode.IsEnabled && RequiresGrad);

        var x = this;
        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return FromOp(op, y, shape, inputs, o => ConvKernels.Backward(plan, x.Data, weight.Data, o.Grad!,
            x.RequiresGrad ? x.GradBuffer() : null,
            weight.RequiresGrad ? weight.GradBuffer() : null,
            bias is not null && bias.RequiresGrad ? bias.GradBuffer() : null, kept));
    }

    private static string SpatialNames(int rank) => rank switch { 1 => "L", 2 => "H, W", _ => "D, H, W" };
    private static string KernelNames(int rank) => rank switch { 1 => "k", 2 => "kh, kw", _ => "kd, kh, kw" };
}
