using Aver.Models.AudioCnn;
using Aver.Models.Fusion;
using Aver.Models.Mrpn;
using Aver.Models.Spec;
using Aver.Tensors;

namespace Aver.Models.Tests.Fusion;

public class DecisionFusionArchitectureTests
{
    private static readonly LabelSpec Labels = new("fer7", ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]);
    private static readonly MrpnArchitecture Am = MrpnArchitecture.AudioOnly(new BranchArchitecture(2, 1, AggregatorKind.Lstm, 8), 8, 0.3f);

    [Fact]
    public void An_audio_branch_is_built_as_the_network_it_names()
    {
        var cnn = new DecisionFusionArchitecture(new AudioBranchArchitecture(null, Labels, new AudioCnnArchitecture([4, 8])), null).Build(new RandomStream(1));
        Assert.IsType<AudioCnnNetwork>(cnn.Audio);
        var am = new DecisionFusionArchitecture(new AudioBranchArchitecture(Am, Labels), null).Build(new RandomStream(1));
        Assert.IsType<UnimodalNetwork>(am.Audio);
        // Tensor names: the branch's parameters live under "audio." either way (the model file's layout).
        Assert.All(cnn.StateDict(), kv => Assert.StartsWith("audio.", kv.Key));
    }

    [Fact]
    public void An_audio_branch_with_both_networks_or_neither_is_refused_naming_the_file()
    {
        var both = new DecisionFusionArchitecture(new AudioBranchArchitecture(Am, Labels, new AudioCnnArchitecture()), null);
        var neither = new DecisionFusionArchitecture(new AudioBranchArchitecture(null, Labels), null);
        foreach (var bad in new[] { both, neither })
        {
            var e = Assert.Throws<InvalidDataException>(() => bad.Build(new RandomStream(1), "m.safetensors"));
            Assert.StartsWith("m.safetensors: ", e.Message);
            Assert.Contains("exactly one", e.Message);
        }
    }

    [Fact]
    public void An_audio_branch_of_several_networks_is_an_ensemble_under_audio_i_and_needs_two()
    {
        var members = new[] { new AudioCnnArchitecture([4, 8]), new AudioCnnArchitecture([], Pooling: "reslstm", RecurrentHidden: 4, InBands: 10) };
        var built = new DecisionFusionArchitecture(new AudioBranchArchitecture(null, Labels, Cnns: members), null).Build(new RandomStream(1));
        var ensemble = Assert.IsType<Aver.Tensors.Nn.Ensemble>(built.Audio);
        Assert.IsType<AudioCnnNetwork>(ensemble.Members[1]);
        Assert.Contains(built.StateDict(), kv => kv.Key.StartsWith("audio.0.cnn.", StringComparison.Ordinal));
        Assert.Contains(built.StateDict(), kv => kv.Key.StartsWith("audio.1.rnn.lstm1.", StringComparison.Ordinal));
        Assert.Equal("audio.1", AudioBranchArchitecture.MemberFrontEnd(1));
        var back = System.Text.Json.JsonSerializer.Deserialize<DecisionFusionArchitecture>(ModelSpec.ToJson(new DecisionFusionArchitecture(
            new AudioBranchArchitecture(null, Labels, Cnns: members), null)).ToJsonString(), Aver.Tensors.IO.MetadataJson.Options)!;
        Assert.Equal(10, back.Audio!.Cnns![1].InBands);

        var one = new DecisionFusionArchitecture(new AudioBranchArchitecture(null, Labels, Cnns: [members[0]]), null);
        Assert.Contains("at least two", Assert.Throws<InvalidDataException>(() => one.Build(new RandomStream(1), "m.safetensors")).Message);
        var both = new DecisionFusionArchitecture(new AudioBranchArchitecture(null, Labels, members[0], members), null);
        Assert.Contains("exactly one", Assert.Throws<InvalidDataException>(() => both.Build(new RandomStream(1), "m.safetensors")).Message);
    }

    [Fact]
    public void The_spec_json_round_trips_an_audio_cnn_branch()
    {
        var arch = new DecisionFusionArchitecture(new AudioBranchArchitecture(null, Labels, new AudioCnnArchitecture([4, 8], 0.2f)), null);
        var spec = new ModelSpec(DecisionFusionArchitecture.Family, ModelSpec.ToJson(arch), Labels, new Dictionary<string, System.Text.Json.Nodes.JsonObject>());
        var back = ModelSpec.FromMetadata(spec.ToMetadata(), "m").ArchitectureAs<DecisionFusionArchitecture>("m");
        Assert.Null(back.Audio!.Network);
        Assert.Equal([4, 8], back.Audio.Cnn!.BlockWidths);
        Assert.Equal(0.2f, back.Audio.Cnn.Dropout);
    }
}
