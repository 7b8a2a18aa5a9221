using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.ResNet;

/// <summary>Hyper-parameters of <see cref="ResNet18"/>.</summary>
/// <param name="InChannels">Input channels: 3 for RGB faces, 1 for grayscale faces or spectrograms.</param>
/// <param name="Width">Channels of the first stage (64 in the paper; 16 or 32 train on a CPU). Stages use Width x 1, 2, 4, 8.</param>
/// <param name="Classes">Outputs of the final layer; 0 for a feature extractor without <c>fc</c>.</param>
/// <param name="Stem">The layers before <c>layer1</c>: torchvision's ImageNet stem, or the small-image stem for 48 px faces.</param>
public sealed record ResNetConfig(int InChannels = 3, int Width = 64, int Classes = 1000, ResNetStem Stem = ResNetStem.ImageNet)
{
    /// <summary>Size of the pooled feature vector (input of <c>fc</c>).</summary>
    public int FeatureSize => Width * 8;
}

/// <summary>The layers of a ResNet before its first stage.</summary>
public enum ResNetStem
{
    /// <summary>torchvision's: conv 7x7 stride 2, batch norm, ReLU, max pool 3x3 stride 2 (input / 4 into <c>layer1</c>).</summary>
    ImageNet,
    /// <summary>
    /// For small images such as FER2013's 48x48 faces: conv 3x3 stride 1, batch norm, ReLU, no max pool, so
    /// <c>layer1</c> sees the full resolution (He et al. 2016 §4.2 use it for CIFAR's 32 px; FER ResNets do
    /// the same, e.g. Pramerdorfer &amp; Kampel 2016, Khaireddin &amp; Chen 2021). Costs about 16x the
    /// ImageNet stem's multiply-adds at the same width. Its <c>conv1.weight</c> is [Width, InChannels, 3, 3].
    /// </summary>
    Small,
}

/// <summary>
/// ResNet-18 (He et al. 2016) with torchvision's layer names, so torchvision weights saved as
/// safetensors load directly: conv1 (7x7/2) -> bn1 -> ReLU -> max pool (3x3/2) (or the <see cref="ResNetStem.Small"/> stem) -> layer1..4 of two
/// <see cref="BasicBlock"/>s each -> global average pool -> fc. Used by MRPN (§5.2) as both
/// the face-frame and the spectrogram-segment extractor.
/// </summary>
public sealed class ResNet18 : Module
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly MaxPool2d? _maxpool;
    private readonly Sequential[] _layers = new Sequential[4];
    private readonly AdaptiveAvgPool2d _avgpool;
    private readonly Linear? _fc;

    public ResNetConfig Config { get; }

    public ResNet18(ResNetConfig config, RandomStream? rng = null)
    {
        Config = config;
        rng ??= Init.Generator;
        int w = config.Width;
        _conv1 = RegisterModule("conv1", config.Stem == ResNetStem.Small
            ? Conv(config.InChannels, w, 3, 1, rng)
            : new Conv2d(config.InChannels, w, 7, stride: 2, padding: 3, bias: false, rng: rng));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(w));
        if (config.Stem == ResNetStem.ImageNet) _maxpool = new MaxPool2d(3, stride: 2, padding: 1);
        int inPlanes = w;
        for (int i = 0; i < 4; i++)
        {
            int planes = w << i, stride = i == 0 ? 1 : 2;
            _layers[i] = RegisterModule($"layer{i + 1}", new Sequential(new BasicBlock(inPlanes, planes, stride, rng), new BasicBlock(planes, planes, 1, rng)));
            inPlanes = planes;
        }
        _avgpool = new AdaptiveAvgPool2d(1);
        if (config.Classes > 0) _fc = RegisterModule("fc", new Linear(config.FeatureSize, config.Classes, rng: rng));
        // torchvision's init: kaiming_normal(fan_out, relu) for convs; batch norm weight 1, bias 0.
        foreach (var (name, p) in NamedParameters())
            if (p.Rank == 4) Init.KaimingNormalFanOut(p, p.Dim(0) * p.Dim(2) * p.Dim(3), rng);
    }

    internal static Conv2d Conv(int inPlanes, int outPlanes, int kernel, int stride, RandomStream rng) =>
        new(inPlanes, outPlanes, kernel, stride: stride, padding: kernel / 2, bias: false, rng: rng);

    /// <summary>Pooled features [N, FeatureSize] of images [N, InChannels, H, W].</summary>
    public Tensor Features(Tensor x)
    {
        if (x.Rank != 4 || x.Dim(1) != Config.InChannels)
            throw new ShapeException($"ResNet18: expects input [N, {Config.InChannels}, H, W], got {ShapeMath.Format(x.Shape)}");
        // Every intermediate is this method's own (never x): each goes back to TensorMemory once read (in training, once
        // the backward pass is done with it).
        var y = ConvBatchNorm.ForwardRelu(_conv1, _bn1, x);
        if (_maxpool is not null) y = Then(y, _maxpool.Forward(y));
        foreach (var layer in _layers) y = Then(y, layer.Forward(y));
        return Then(y, _avgpool.Forward(y)).Flatten(1);
    }

    private static Tensor Then(Tensor spent, Tensor next)
    {
        TensorMemory.Release(spent);
        return next;
    }

    /// <summary>Class scores [N, Classes] (or the features when built without <c>fc</c>).</summary>
    public override Tensor Forward(Tensor x)
    {
        var f = Features(x);
        return _fc is null ? f : _fc.Forward(f);
    }
}
