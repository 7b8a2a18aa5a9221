using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Avef;

/// <summary>Hyper-parameters of <see cref="AudioNet"/>.</summary>
/// <param name="Classes">fc8's outputs: the label space's size C (6 emotions, or 2 for arousal / valence).</param>
/// <param name="Width">Multiplier on AlexNet's conv widths 96-256-384-384-256 (1 = the paper's; 0.25 trains on a CPU).</param>
/// <param name="FcSize">Width of fc6 and fc7 (4096 in the paper; fc7 is the DBN's audio input).</param>
/// <param name="InChannels">Input planes: 3 = log-mel, delta, delta-delta (§2.1.1).</param>
/// <param name="InputHeight">Mel bands (64).</param>
/// <param name="InputWidth">Frames per segment (64 = 655 ms).</param>
/// <param name="Conv1Kernel">Stem kernel. 5 by default: AlexNet's 11x11/4 stem is sized for 227x227 photos and would
/// reduce a 64x64 segment to 14x14 at once; 5x5/2 (padding 2) keeps 32x32 time-frequency cells into pool1.</param>
/// <param name="Conv1Stride">Stem stride (2; AlexNet's is 4).</param>
/// <param name="Conv1Padding">Stem padding (2; AlexNet's is 0).</param>
/// <param name="Dropout">Dropout after fc6 and fc7 (0.5 as in AlexNet).</param>
/// <param name="BatchNorm">Batch norm after each convolution (not in AlexNet; helps training from scratch).</param>
public sealed record AudioNetConfig(
    int Classes = 6, double Width = 0.25, int FcSize = 512, int InChannels = 3, int InputHeight = 64, int InputWidth = 64,
    int Conv1Kernel = 5, int Conv1Stride = 2, int Conv1Padding = 2, float Dropout = 0.5f, bool BatchNorm = false)
{
    /// <summary>AlexNet's conv widths (conv1..conv5).</summary>
    public static readonly int[] AlexNetWidths = [96, 256, 384, 384, 256];

    /// <summary>The paper's widths (96-256-384-384-256, fc 4096) over 64x64 segments, with the 5x5/2 stem.</summary>
    public static AudioNetConfig Paper(int classes) => new(classes, Width: 1, FcSize: 4096);

    /// <summary>AlexNet exactly (11x11/4 stem on 227x227, no batch norm), e.g. to load ImageNet-shaped weights.</summary>
    public static AudioNetConfig AlexNet(int classes = 1000) =>
        new(classes, Width: 1, FcSize: 4096, InputHeight: 227, InputWidth: 227, Conv1Kernel: 11, Conv1Stride: 4, Conv1Padding: 0);

    /// <summary>Channels of conv1..conv5 after the width multiplier (at least 1 each).</summary>
    public int[] ConvWidths() => AlexNetWidths.Select(w => Math.Max(1, (int)Math.Round(w * Width))).ToArray();
}

/// <summary>
/// AVEF's audio-network (§2.2.1): an AlexNet-style 2-D CNN, A(a; θ^A), over [N, 3, 64, 64] log-mel +
/// delta + delta-delta segments. conv1 (5x5/2 stem, see <see cref="AudioNetConfig.Conv1Kernel"/>) ->
/// ReLU -> pool1 (3x3/2) -> conv2 (5x5, pad 2) -> ReLU -> pool2 (3x3/2) -> conv3, conv4, conv5 (3x3,
/// pad 1, ReLU) -> pool5 (3x3/2) -> fc6 -> fc7 -> fc8 (C outputs). A 64x64 segment is 32x32 after
/// conv1, 15 after pool1, 7 after pool2 and 3x3 after pool5. AlexNet's local response normalisation
/// is left out (as in torchvision's AlexNet). Layer names follow the paper (conv1..conv5, fc6..fc8).
/// </summary>
public sealed class AudioNet : SegmentCnn
{
    private readonly Module[] _convs = new Module[5];
    private readonly Module?[] _norms = new Module?[5];
    private readonly MaxPool2d _pool = new(3, stride: 2);

    public AudioNetConfig Config { get; }

    /// <summary>Size of the flattened pool5 output (fc6's input).</summary>
    public int FlatSize { get; }

    public AudioNet(AudioNetConfig config, RandomStream? rng = null)
    {
        Config = config;
        rng ??= Init.Generator;
        var w = config.ConvWidths();
        int[] kernels = [config.Conv1Kernel, 5, 3, 3, 3];
        int[] strides = [config.Conv1Stride, 1, 1, 1, 1];
        int[] pads = [config.Conv1Padding, 2, 1, 1, 1];
        int inCh = config.InChannels, h = config.InputHeight, wd = config.InputWidth;
        for (int i = 0; i < 5; i++)
        {
            _convs[i] = RegisterShallow($"conv{i + 1}", new Conv2d(inCh, w[i], kernels[i], stride: strides[i], padding: pads[i], bias: !config.BatchNorm, rng: rng));
            if (config.BatchNorm) _norms[i] = RegisterShallow($"bn{i + 1}", new BatchNorm2d(w[i]));
            h = OutputLength(h, kernels[i], strides[i], pads[i]);
            wd = OutputLength(wd, kernels[i], strides[i], pads[i]);
            if (IsPooled(i)) { h = OutputLength(h, 3, 2, 0); wd = OutputLength(wd, 3, 2, 0); }
            inCh = w[i];
        }
        FlatSize = inCh * h * wd;
        RegisterHead(FlatSize, config.FcSize, config.Classes, config.Dropout, rng.Fork("head"));
    }

    // pool1, pool2 and pool5 follow conv1, conv2 and conv5 (§2.2.1: "3 max-pooling layers").
    private static bool IsPooled(int conv) => conv is 0 or 1 or 4;

    protected override Tensor Trunk(Tensor x)
    {
        var c = Config;
        if (x.Rank != 4 || x.Dim(1) != c.InChannels || x.Dim(2) != c.InputHeight || x.Dim(3) != c.InputWidth)
            throw new ShapeException($"AudioNet: expects segments [N, {c.InChannels}, {c.InputHeight}, {c.InputWidth}], got {ShapeMath.Format(x.Shape)}");
        for (int i = 0; i < 5; i++)
        {
            x = _convs[i].Forward(x);
            if (_norms[i] is { } bn) x = bn.Forward(x);
            x = x.Relu();
            if (IsPooled(i)) x = _pool.Forward(x);
        }
        return x;
    }
}
