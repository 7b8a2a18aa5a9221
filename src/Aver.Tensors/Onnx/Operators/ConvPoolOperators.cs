using Aver.Tensors.Kernels;

namespace Aver.Tensors.Onnx.Operators;

/// <summary>Conv (1-3 spatial dims, groups, dilation, explicit or SAME/VALID padding), MaxPool, AveragePool, GlobalAveragePool.</summary>
internal static class ConvPoolOperators
{
    public static void Register()
    {
        OnnxOperators.Register("Conv", Conv);
        OnnxOperators.Register("MaxPool", node => Pool(node, max: true));
        OnnxOperators.Register("AveragePool", node => Pool(node, max: false));
        OnnxOperators.Register("GlobalAveragePool", node => inputs =>
        {
            var x = node.FloatInput(inputs[0], 0);
            var y = x.Rank switch
            {
                3 => x.AdaptiveAvgPool1d(1),
                4 => x.AdaptiveAvgPool2d((1, 1)),
                5 => x.AdaptiveAvgPool3d((1, 1, 1)),
                _ => throw node.Error($"input {ShapeMath.Format(x.Shape)} must have 1 to 3 spatial dimensions"),
            };
            return [new OnnxValue(y)];
        });
    }

    private static OnnxKernel Conv(OnnxNode node)
    {
        int groups = (int)node.Int("group", 1);
        var strides = node.Ints("strides");
        var dilations = node.Ints("dilations");
        return inputs =>
        {
            var x = node.FloatInput(inputs[0], 0);
            var w = node.FloatInput(inputs[1], 1);
            var b = node.HasInput(2) ? node.FloatInput(inputs[2], 2) : null;
            int rank = x.Rank - 2;
            if (rank is < 1 or > 3) throw node.Error($"input {ShapeMath.Format(x.Shape)} must have 1 to 3 spatial dimensions");
            var kernel = w.Shape[2..].ToArray();
            var stride = Spatial(strides, rank, 1);
            var dilation = Spatial(dilations, rank, 1);
            var (begin, end) = Padding(node, x, kernel, stride, dilation);
            // Asymmetric padding without a padded copy: the depthwise kernel Conv2d itself dispatches to takes begin and end apart.
            if (rank == 2 && !begin.AsSpan().SequenceEqual(end) && DepthwiseWithoutGrad(x, w, b, groups, dilation))
                return [new OnnxValue(Depthwise(x, w, b, stride, begin, end))];
            var (padded, symmetric) = PadAsymmetric(x, begin, end, 0f);
            return [new OnnxValue(rank switch
            {
                1 => padded.Conv1d(w, b, stride, symmetric, dilation, groups),
                2 => padded.Conv2d(w, b, stride, symmetric, dilation, groups),
                _ => padded.Conv3d(w, b, stride, symmetric, dilation, groups),
            })];
        };
    }

    private static OnnxKernel Pool(OnnxNode node, bool max)
    {
        var kernelAttr = node.Ints("kernel_shape") ?? throw node.Error("has no kernel_shape attribute");
        var strides = node.Ints("strides");
        var dilations = node.Ints("dilations");
        bool ceil = node.Int("ceil_mode", 0) != 0;
        bool countPad = node.Int("count_include_pad", 0) != 0;
        return inputs =>
        {
            var x = node.FloatInput(inputs[0], 0);
            int rank = x.Rank - 2;
            if (rank != kernelAttr.Length) throw node.Error($"kernel_shape has {kernelAttr.Length} dims but input is {ShapeMath.Format(x.Shape)}");
            var kernel = kernelAttr.Select(k => (int)k).ToArray();
            var stride = Spatial(strides, rank, 1);
            var dilation = Spatial(dilations, rank, 1);
            // Explicit asymmetric padding is materialised; for max pooling with -inf so it never wins.
            var (begin, end) = Padding(node, x, kernel, stride, dilation);
            var (padded, symmetric) = PadAsymmetric(x, begin, end, max ? float.NegativeInfinity : 0f);
            if (!max && dilation.Any(d => d != 1)) throw node.Error("AveragePool with dilations is not supported");
            Tensor y = (max, rank) switch
            {
                (true, 1) => padded.MaxPool1d(kernel, stride, symmetric, dilation, ceil),
                (true, 2) => padded.MaxPool2d(kernel, stride, symmetric, dilation, ceil),
                (true, 3) => padded.MaxPool3d(kernel, stride, symmetric, dilation, ceil),
                (false, 1) => padded.AvgPool1d(kernel, stride, symmetric, ceil, countPad),
                (false, 2) => padded.AvgPool2d(kernel, stride, symmetric, ceil, countPad),
                (false, 3) => padded.AvgPool3d(kernel, stride, symmetric, ceil, countPad),
                _ => throw node.Error($"input {ShapeMath.Format(x.Shape)} must have 1 to 3 spatial dimensions"),
            };
            return [new OnnxValue(y)];
        };
    }

    private static bool DepthwiseWithoutGrad(Tensor x, Tensor w, Tensor? b, int groups, int[] dilation) =>
        x.Rank == 4 && w.Rank == 4 && groups == x.Dim(1) && w.Dim(0) == groups && w.Dim(1) == 1 && dilation.All(d => d == 1)
        && !(GradMode.IsEnabled && (x.RequiresGrad || w.RequiresGrad || (b?.RequiresGrad ?? false)));

    /// <summary>x [N, C, H, W], w [C, 1, kh, kw], bias [C] or null, padding begin/end per axis -> [N, C, Ho, Wo].</summary>
    private static Tensor Depthwise(Tensor x, Tensor w, Tensor? bias, int[] stride, int[] begin, int[] end)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), wd = x.Dim(3), kh = w.Dim(2), kw = w.Dim(3);
        int ho = (h + begin[0] + end[0] - kh) / stride[0] + 1, wo = (wd + begin[1] + end[1] - kw) / stride[1] + 1;
        if (ho <= 0 || wo <= 0)
            throw new ShapeException($"Conv (depthwise): input {ShapeMath.Format(x.Shape)} is smaller than kernel {kh}x{kw} with padding");
        var y = GC.AllocateUninitializedArray<float>(n * c * ho * wo);
        DepthwiseConv.Forward(x.Data, n * c, c, h, wd, w.Data, kh, kw, bias?.Data, stride[0], stride[1], begin[0], begin[1], y, ho, wo);
        return new Tensor(y, n, c, ho, wo);
    }

    private static int[] Spatial(long[]? values, int rank, int fallback) =>
        values is null || values.Length == 0 ? Enumerable.Repeat(fallback, rank).ToArray() : values.Select(v => (int)v).ToArray();

    /// <summary>Resolves auto_pad / pads into begin and end padding per spatial axis.</summary>
    private static (int[] Begin, int[] End) Padding(OnnxNode node, Tensor x, int[] kernel, int[] stride, int[] dilation)
    {
        int rank = kernel.Length;
        var begin = new int[rank];
        var end = new int[rank];
        string autoPad = node.String("auto_pad", "NOTSET");
        if (autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            for (int d = 0; d < rank; d++)
            {
                int size = x.Dim(2 + d), outSize = (size + stride[d] - 1) / stride[d];
                int total = Math.Max(0, (outSize - 1) * stride[d] + (kernel[d] - 1) * dilation[d] + 1 - size);
                begin[d] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                end[d] = total - begin[d];
            }
        }
        else if (autoPad is "NOTSET" && node.Ints("pads") is { Length: > 0 } pads)
        {
            if (pads.Length != 2 * rank) throw node.Error($"pads has {pads.Length} values, {2 * rank} expected for {rank} spatial dims");
            for (int d = 0; d < rank; d++) { begin[d] = (int)pads[d]; end[d] = (int)pads[rank + d]; }
        }
        else if (autoPad is not ("NOTSET" or "VALID")) throw node.Error($"auto_pad '{autoPad}' is not an ONNX value");
        return (begin, end);
    }

    /// <summary>
    /// Symmetric padding is returned for the op to apply; asymmetric padding (TF "SAME" exports: [0, 0, 1, 1])
    /// is applied here with an explicit Pad of <paramref name="fill"/>, and the op then runs unpadded.
    /// </summary>
    private static (Tensor Input, int[] Symmetric) PadAsymmetric(Tensor x, int[] begin, int[] end, float fill)
    {
        int rank = begin.Length;
        if (begin.AsSpan().SequenceEqual(end)) return (x, begin);
        var pairs = new int[2 * rank];   // Aver's Pad order: (before, after) from the last axis back
        for (int d = 0; d < rank; d++) { pairs[2 * (rank - 1 - d)] = begin[d]; pairs[2 * (rank - 1 - d) + 1] = end[d]; }
        return (x.Pad(pairs, fill), new int[rank]);
    }
}
