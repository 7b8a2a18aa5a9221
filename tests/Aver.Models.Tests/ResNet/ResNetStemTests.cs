using System.Text.Json.Nodes;
using Aver.Models.ResNet;
using Aver.Models.Spec;
using Aver.Tensors;
using Aver.Tensors.IO;

namespace Aver.Models.Tests.ResNet;

/// <summary>The small-image stem of ResNet-18 (3x3 stride 1, no max pool) and its place in the model spec.</summary>
public sealed class ResNetStemTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "aver-stem-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void TheSmallStemKeepsFullResolutionIntoLayer1AndTheImageNetStemIsTheDefault()
    {
        var small = new ResNet18(new ResNetConfig(1, 4, 7, ResNetStem.Small), new RandomStream(1));
        var imagenet = new ResNet18(new ResNetConfig(1, 4, 7), new RandomStream(1));
        Assert.Equal([4, 1, 3, 3], Weight(small, "conv1.weight"));
        Assert.Equal([4, 1, 7, 7], Weight(imagenet, "conv1.weight"));
        Assert.Equal(imagenet.StateDict().Count, small.StateDict().Count);

        var x = Tensor.Normal(new RandomStream(2), 0, 1, 2, 1, 48, 48);
        small.Eval();
        Assert.Equal([2, 32], small.Features(x).Shape.ToArray());
        Assert.Equal([2, 7], small.Forward(x).Shape.ToArray());
    }

    [Fact]
    public void TheStemTravelsThroughTheRegistryAndAModelFile()
    {
        var architecture = new ResNetArchitecture(1, 4, ResNetStem.Small);
        var spec = new ModelSpec(ResNetArchitecture.Family, ModelSpec.ToJson(architecture), new LabelSpec("fer7", ["a", "b", "c", "d", "e", "f", "g"]),
            new Dictionary<string, JsonObject>());
        Assert.Equal("small", spec.Architecture["stem"]!.GetValue<string>());
        var net = architecture.Build(7, new RandomStream(4));
        Directory.CreateDirectory(_dir);
        string path = Path.Combine(_dir, "fer.safetensors");
        ModelFile.Save(path, net, spec, flatMetadata: new Dictionary<string, string> { ["pixel_mean"] = "0.5", ["format"] = "not this" });

        var file = SafeTensors.Load(path);
        Assert.Equal("0.5", file.Metadata["pixel_mean"]);
        Assert.Equal(ResNetArchitecture.Family, file.Metadata["format"]); // the spec's keys win
        var (read, network) = ModelFile.Load(file, path);
        Assert.Equal(architecture, read.ArchitectureAs<ResNetArchitecture>(path));
        var loaded = Assert.IsType<ResNet18>(network);
        Assert.Equal(ResNetStem.Small, loaded.Config.Stem);
        var x = Tensor.Normal(new RandomStream(5), 0, 1, 2, 1, 48, 48);
        net.Eval();
        Assert.Equal(net.Forward(x).Data, loaded.Forward(x).Data);

        // The other stem's weights do not fit this spec: refused naming the file.
        var e = Assert.Throws<ArgumentException>(() => ModelFile.Save(path, new ResNetArchitecture(1, 4).Build(7, new RandomStream(0)), spec));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void ASpecWrittenBeforeTheStemReadsAsTheImageNetStem()
    {
        var old = new JsonObject { ["in_channels"] = 1, ["width"] = 8 };
        var spec = new ModelSpec(ResNetArchitecture.Family, old, new LabelSpec("fer7", ["a", "b"]), new Dictionary<string, JsonObject>());
        Assert.Equal(ResNetStem.ImageNet, spec.ArchitectureAs<ResNetArchitecture>("old.safetensors").Stem);
        Assert.Equal([8, 1, 7, 7], Weight((ResNet18)ModelRegistry.Build(spec, new RandomStream(0)), "conv1.weight"));
    }

    private static int[] Weight(ResNet18 net, string name) => net.StateDict().First(kv => kv.Key == name).Value.Shape.ToArray();
}
