using Aver.Tensors;

namespace Aver.Models.ResNet;

/// <summary>
/// A ResNet-18 classifier as data (the FER extractor of MRPN §5.2): the family "resnet18" of <see cref="Spec.ModelRegistry"/>.
/// A spec without <c>stem</c> (files written before it existed) reads as the ImageNet stem.
/// </summary>
public sealed record ResNetArchitecture(int InChannels = 1, int Width = 16, ResNetStem Stem = ResNetStem.ImageNet)
{
    public const string Family = "resnet18";

    /// <summary>The architecture of a network of configuration <paramref name="config"/> (its class count aside).</summary>
    public static ResNetArchitecture Of(ResNetConfig config) => new(config.InChannels, config.Width, config.Stem);

    /// <summary>The network's configuration over <paramref name="classes"/> classes.</summary>
    public ResNetConfig Config(int classes) => new(InChannels, Width, classes, Stem);

    /// <summary>The network over <paramref name="classes"/> classes, freshly initialised from <paramref name="rng"/>.</summary>
    public ResNet18 Build(int classes, RandomStream rng) => new(Config(classes), rng);
}
