using System.Text.Json.Nodes;
using Aver.Models.Mrpn;
using Aver.Models.ResNet;
using Aver.Models.Spec;
using Aver.Tensors;

namespace Aver.Models.Tests.Spec;

/// <summary>The model spec round-trips through a file's metadata, and the registry builds every family's network from it alone.</summary>
public class ModelSpecTests
{
    private static readonly LabelSpec Three = new("three", ["calm", "happy", "angry"]);

    private static ModelSpec Am() => new(MrpnArchitecture.Family,
        ModelSpec.ToJson(MrpnArchitecture.AudioOnly(new BranchArchitecture(4, 1, AggregatorKind.BiLstm, 8), 8, 0.2f)), Three,
        new Dictionary<string, JsonObject> { ["audio"] = new JsonObject { ["sample_rate"] = 16000 } },
        Provenance: new Provenance("ravdess actors 01-16", "aver evaluate x.yaml", "abc1234"), Extra: new Dictionary<string, string> { ["fold"] = "A1,2" });

    [Fact]
    public void ASpecRoundTripsThroughTheMetadata()
    {
        var spec = Am();
        var meta = spec.ToMetadata();
        Assert.Equal("mrpn", meta["format"]);
        var back = ModelSpec.FromMetadata(meta, "f.safetensors");
        Assert.Equal(spec.Family, back.Family);
        Assert.Equal(spec.Labels.Names, back.Labels.Names);
        Assert.Equal(spec.ArchitectureAs<MrpnArchitecture>("a"), back.ArchitectureAs<MrpnArchitecture>("b"));
        Assert.Equal(16000, (int)back.FrontEnds["audio"]["sample_rate"]!);
        Assert.Equal(spec.Provenance, back.Provenance);
        Assert.Equal("A1,2", back.Extra!["fold"]);
        // enums and names in snake_case, as every part of a spec is written
        Assert.Contains("\"aggregator\":\"bi_lstm\"", meta[ModelSpec.MetadataKey]);
    }

    [Fact]
    public void TheRegistryBuildsTheSameNetworkAsTheFamilysOwnBuilder()
    {
        var spec = Am();
        var fromRegistry = ModelRegistry.Build(spec, new RandomStream(5));
        var direct = spec.ArchitectureAs<MrpnArchitecture>("spec").Build(3, new RandomStream(5));
        Assert.IsType<UnimodalNetwork>(fromRegistry);
        Assert.Equal(direct.StateDict().Select(kv => (kv.Key, kv.Value.Data)), fromRegistry.StateDict().Select(kv => (kv.Key, kv.Value.Data)));

        var resnet = new ModelSpec(ResNetArchitecture.Family, ModelSpec.ToJson(new ResNetArchitecture(1, 8)), new LabelSpec("fer7", ["a", "b", "c", "d", "e", "f", "g"]),
            new Dictionary<string, JsonObject>());
        var net = Assert.IsType<ResNet18>(ModelRegistry.Build(resnet, new RandomStream(1)));
        Assert.Equal([7, 64], net.StateDict().First(kv => kv.Key == "fc.weight").Value.Shape.ToArray());
    }

    [Theory]
    [InlineData("family", "\"gru-net\"", "model family 'gru-net' is not one this build knows")]
    [InlineData("spec_version", "9", "version 9 is newer than this build reads")]
    [InlineData("labels", "{\"space\":\"x\",\"names\":[\"a\",\"a\"]}", "two or more distinct class names")]
    public void ABadSpecIsRefusedNamingTheFile(string key, string json, string message)
    {
        var meta = Am().ToMetadata();
        var root = JsonNode.Parse(meta[ModelSpec.MetadataKey])!.AsObject();
        root[key] = JsonNode.Parse(json);
        meta[ModelSpec.MetadataKey] = root.ToJsonString();
        var e = Assert.Throws<InvalidDataException>(() => ModelRegistry.Build(ModelSpec.FromMetadata(meta, "m.safetensors"), new RandomStream(0), "m.safetensors"));
        Assert.Contains("m.safetensors", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void AnArchitectureWhoseBranchesContradictItsNetworkIsRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => new MrpnArchitecture("N2", new BranchArchitecture(), null).Build(3, new RandomStream(0), "n2.safetensors"));
        Assert.Contains("n2.safetensors: MRPN N2 needs both branches", e.Message);
    }
}
