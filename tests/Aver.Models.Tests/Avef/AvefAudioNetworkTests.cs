using Aver.Models.Avef;
using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Tests.Avef;

/// <summary>Audio-only AVEF (audio-network + DBN) and transfer of trunks between AVEF models (§2.2).</summary>
public sealed class AvefAudioNetworkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-avef-audio-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly AudioNetConfig TinyAudio = new(4, Width: 1.0 / 16, FcSize: 16, Dropout: 0f);

    private static AvefAudioNetwork Tiny(ulong seed) => new(new AvefAudioConfig(TinyAudio, [10, 8]), new RandomStream(seed));

    [Fact]
    public void ForwardGivesDbnScoresTheFusedFeatureAndTheAudioNetsScores()
    {
        var net = Tiny(1);
        var x = Tensor.Normal(new RandomStream(2), 0, 1, 3, 3, 64, 64);
        var o = net.Forward(x);
        Assert.Equal([3, 4], o.Scores.Shape.ToArray());
        Assert.Equal([3, 8], o.Fused.Shape.ToArray());
        Assert.Equal([3, 4], o.AudioScores.Shape.ToArray());
        Assert.Null(o.VisualScores);
        Assert.Equal([3, 16], net.SegmentFeatures(x, null).Shape.ToArray());
        Assert.Throws<ArgumentException>(() => net.Forward(x, Tensor.Zeros(3, 1, 16, 16, 16)));
        // Gradients of the DBN's loss reach the audio trunk (trained "as a whole model").
        Losses.CrossEntropy(o.Scores, [0, 1, 2]).Backward();
        Assert.Contains(net.Audio.ShallowParameters(), p => p.Grad is { } g && g.Any(v => v != 0));
    }

    [Fact]
    public void SavedModelRebuildsFromTheFileAlone()
    {
        var net = Tiny(3);
        string path = Path.Combine(_dir, "a.safetensors");
        net.SaveModel(path, new Dictionary<string, string> { ["label_space"] = "basic6" });
        var (loaded, meta) = AvefAudioNetwork.FromFile(path);
        Assert.Equal("basic6", meta["label_space"]);
        Assert.Equal(AvefAudioConfig.Architecture, meta["architecture"]);
        var x = Tensor.Normal(new RandomStream(4), 0, 1, 2, 3, 64, 64);
        net.Eval();
        loaded.Eval();
        Assert.Equal(net.Forward(x).Scores.Data, loaded.Forward(x).Scores.Data);
        Assert.Throws<InvalidDataException>(() => AvefNetwork.FromFile(path));
    }

    [Fact]
    public void TransferKeepsTheAudioTrunkFreezesItAndReinitialisesTheRest()
    {
        var source = Tiny(5);
        string path = Path.Combine(_dir, "source.safetensors");
        source.SaveModel(path);
        // The target has another class count: only the trunk can transfer.
        var target = new AvefAudioNetwork(new AvefAudioConfig(TinyAudio with { Classes = 2 }, [10, 8]), new RandomStream(6));
        var before = target.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Data.ToArray());
        target.StartTransfer(path, new RandomStream(7));
        var src = source.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var (name, t) in target.StateDict())
        {
            if (name.StartsWith("audio.conv", StringComparison.Ordinal)) Assert.Equal(src[name].Data, t.Data);
            else if (name.EndsWith("weight", StringComparison.Ordinal)) Assert.NotEqual(before[name], t.Data);
        }
        Assert.True(target.Audio.ShallowFrozen);
        Assert.All(target.Audio.ShallowParameters(), p => Assert.False(p.RequiresGrad));

        // An audio-visual AVEF model's audio trunk transfers to an audio-only one too.
        var av = new AvefNetwork(new AvefConfig(TinyAudio, new VisualNetConfig(4, Width: 1.0 / 16, FcSize: 12, InChannels: 1, InputHeight: 16, InputWidth: 16), [10, 8]), new RandomStream(8));
        string avPath = Path.Combine(_dir, "av.safetensors");
        av.SaveModel(avPath);
        Tiny(9).StartTransfer(avPath, new RandomStream(10), freezeShallow: false);

        // A file without the trunk is named.
        string other = Path.Combine(_dir, "other.safetensors");
        new Linear(2, 2).Save(other);
        var e = Assert.Throws<StateDictException>(() => Tiny(11).StartTransfer(other, new RandomStream(12)));
        Assert.Contains("other.safetensors", e.Message);
    }
}
