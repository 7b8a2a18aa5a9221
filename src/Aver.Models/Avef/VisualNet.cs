using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Avef;

/// <summary>Hyper-parameters of <see cref="VisualNet"/>.</summary>
/// <param name="Classes">fc8's outputs: the label space's size C.</param>
/// <param name="Width">Multiplier on C3D's conv widths 64-128-256-256-512-512-512-512 (1 = the paper's; 0.25 trains on a CPU).</param>
/// <param name="FcSize">Width of fc6 and fc7 (4096 in C3D; fc7 is the DBN's visual input).</param>
/// <param name="InChannels">3 for RGB faces, 1 for grayscale.</param>
/// <param name="Frames">Face frames per segment (16, §2.1.2).</param>
/// <param name="InputHeight">Face crop height (112 in C3D; 64 trains on a CPU).</param>
/// <param name="InputWidth">Face crop width.</param>
/// <param name="Dropout">Dropout after fc6 and fc7 (0.5 as in C3D).</param>
/// <param name="BatchNorm">Batch norm after each convolution (not in C3D; helps training from scratch).</param>
public sealed record VisualNetConfig(
    int Classes = 6, double Width = 0.25, int FcSize = 512, int InChannels = 3, int Frames = 16,
    int InputHeight = 64, int InputWidth = 64, float Dropout = 0.5f, bool BatchNorm = false)
{
    /// <summary>C3D's conv widths (conv1a, conv2a, conv3a, conv3b, conv4a, conv4b, conv5a, conv5b).</summary>
    public static readonly int[] C3dWidths = [64, 128, 256, 256, 512, 512, 512, 512];

    /// <summary>The paper's network: C3D-Sports-1M's shape (16x112x112 RGB, fc 4096) with fc8 resized to C (§2.2.2).</summary>
    public static VisualNetConfig Paper(int classes) => new(classes, Width: 1, FcSize: 4096, InputHeight: 112, InputWidth: 112);

    /// <summary>Channels of the eight convolutions after the width multiplier (at least 1 each).</summary>
    public int[] ConvWidths() => C3dWidths.Select(w => Math.Max(1, (int)Math.Round(w * Width))).ToArray();
}

/// <summary>
/// AVEF's visual-network (§2.2.2): a C3D-style 3-D CNN, V(v; θ^V), over [N, C, 16, H, W] face
/// segments. Eight 3x3x3 convolutions (padding 1, ReLU) conv1a, conv2a, conv3a, conv3b, conv4a,
/// conv4b, conv5a, conv5b; five max-pools: pool1 (1x2x2, keeps time early, as in C3D), pool2-pool4
/// (2x2x2), pool5 (2x2x2 with C3D's (0, 1, 1) padding); then fc6 -> fc7 -> fc8 (C outputs). 16x112x112
/// reaches 512x1x4x4 = 8192 at pool5 as in C3D; 16x64x64 reaches 1x3x3.
/// </summary>
public sealed class VisualNet : SegmentCnn
{
    private static readonly string[] ConvNames = ["conv1a", "conv2a", "conv3a", "conv3b", "conv4a", "conv4b", "conv5a", "conv5b"];

    // The pool after each convolution (null: none), as in C3D.
    private static readonly (int[] Kernel, int[] Padding)?[] Pools =
    [
        ([1, 2, 2], [0, 0, 0]), ([2, 2, 2], [0, 0, 0]), null, ([2, 2, 2], [0, 0, 0]),
        null, ([2, 2, 2], [0, 0, 0]), null, ([2, 2, 2], [0, 1, 1]),
    ];

    private readonly Module[] _convs = new Module[8];
    private readonly Module?[] _norms = new Module?[8];
    private readonly MaxPool3d?[] _pools = new MaxPool3d?[8];

    public VisualNetConfig Config { get; }

    /// <summary>Size of the flattened pool5 output (fc6's input).</summary>
    public int FlatSize { get; }

    public VisualNet(VisualNetConfig config, RandomStream? rng = null)
    {
        Config = config;
        rng ??= Init.Generator;
        var w = config.ConvWidths();
        int inCh = config.InChannels;
        int[] size = [config.Frames, config.InputHeight, config.InputWidth];
        for (int i = 0; i < 8; i++)
        {
            _convs[i] = RegisterShallow(ConvNames[i], new Conv3d(inCh, w[i], 3, padding: 1, bias: !config.BatchNorm, rng: rng));
            if (config.BatchNorm) _norms[i] = RegisterShallow("bn" + ConvNames[i][4..], new BatchNorm3d(w[i]));
            if (Pools[i] is var (kernel, padding))
            {
                _pools[i] = new MaxPool3d(kernel, stride: kernel, padding: padding);
                for (int a = 0; a < 3; a++) size[a] = OutputLength(size[a], kernel[a], kernel[a], padding[a]);
            }
            inCh = w[i];
        }
        FlatSize = inCh * size[0] * size[1] * size[2];
        RegisterHead(FlatSize, config.FcSize, config.Classes, config.Dropout, rng.Fork("head"));
    }

    protected override Tensor Trunk(Tensor x)
    {
        var c = Config;
        if (x.Rank != 5 || x.Dim(1) != c.InChannels || x.Dim(2) != c.Frames || x.Dim(3) != c.InputHeight || x.Dim(4) != c.InputWidth)
            throw new ShapeException($"VisualNet: expects face segments [N, {c.InChannels}, {c.Frames}, {c.InputHeight}, {c.InputWidth}], got {ShapeMath.Format(x.Shape)}");
        for (int i = 0; i < 8; i++)
        {
            x = _convs[i].Forward(x);
            if (_norms[i] is { } bn) x = bn.Forward(x);
            x = x.Relu();
            if (_pools[i] is { } pool) x = pool.Forward(x);
        }
        return x;
    }
}
