using Aver.Models.Avef;
using Aver.Tensors;
using Aver.Tensors.Optim;

namespace Aver.Models.Tests.Avef;

/// <summary>AVEF's audio-network, visual-network and their fusion network (§2.2.1-2.2.3), and transfer across corpora (§2.2).</summary>
public class AvefNetworkTests
{
    private const int Classes = 6;

    // Small enough for fast tests: 64x64 audio at 1/16 width; 16x16x16 faces at 1/16 width.
    private static readonly AudioNetConfig TinyAudio = new(Classes, Width: 1.0 / 16, FcSize: 16, Dropout: 0f);
    private static readonly VisualNetConfig TinyVisual = new(Classes, Width: 1.0 / 16, FcSize: 12, InChannels: 1, InputHeight: 16, InputWidth: 16, Dropout: 0f);

    private static AvefNetwork Tiny(ulong seed = 1, AudioNetConfig? audio = null) =>
        new(new AvefConfig(audio ?? TinyAudio, TinyVisual, [10, 8]), new RandomStream(seed));

    private static (Tensor Audio, Tensor Visual) Segments(int n, ulong seed = 2)
    {
        var r = new RandomStream(seed);
        return (Tensor.Normal(r, 0, 1, n, 3, 64, 64), Tensor.Normal(r, 0, 1, n, 1, 16, 16, 16));
    }

    private static readonly int[] Targets = [0, 5, 2];

    [Fact]
    public void CompactAudioNetMapsSegmentsToFc7FeaturesAndClassScores()
    {
        var net = new AudioNet(new AudioNetConfig(Classes), new RandomStream(1));
        Assert.Equal([24, 64, 96, 96, 64], net.Config.ConvWidths());
        Assert.Equal(64 * 3 * 3, net.FlatSize); // 64 -> conv1 32 -> pool1 15 -> pool2 7 -> pool5 3
        var x = Tensor.Normal(new RandomStream(2), 0, 1, 2, 3, 64, 64);
        Assert.Equal([2, 512], net.Features(x).Shape.ToArray());
        Assert.Equal([2, Classes], net.Forward(x).Shape.ToArray());
    }

    [Fact]
    public void CompactVisualNetMapsFaceSegmentsToFc7FeaturesAndClassScores()
    {
        var net = new VisualNet(new VisualNetConfig(Classes), new RandomStream(1));
        Assert.Equal([16, 32, 64, 64, 128, 128, 128, 128], net.Config.ConvWidths());
        Assert.Equal(128 * 1 * 3 * 3, net.FlatSize); // 16x64x64 -> 16x32 -> 8x16 -> 4x8 -> 2x4 -> pool5 (pad 0,1,1) 1x3x3
        var x = Tensor.Normal(new RandomStream(2), 0, 1, 1, 3, 16, 64, 64);
        net.Eval();
        Assert.Equal([1, 512], net.Features(x).Shape.ToArray());
        Assert.Equal([1, Classes], net.Forward(x).Shape.ToArray());
    }

    [Fact]
    public void LayerNamesFollowThePaper()
    {
        var audio = new AudioNet(TinyAudio).StateDict().Select(kv => kv.Key).ToArray();
        Assert.Equal(["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight", "conv3.bias", "conv4.weight", "conv4.bias",
                      "conv5.weight", "conv5.bias", "fc6.weight", "fc6.bias", "fc7.weight", "fc7.bias", "fc8.weight", "fc8.bias"], audio);
        var visual = new VisualNet(TinyVisual).NamedParameters().Select(kv => kv.Key).Where(k => k.EndsWith("weight")).ToArray();
        Assert.Equal(["conv1a.weight", "conv2a.weight", "conv3a.weight", "conv3b.weight", "conv4a.weight", "conv4b.weight",
                      "conv5a.weight", "conv5b.weight", "fc6.weight", "fc7.weight", "fc8.weight"], visual);
        var dbn = new DeepBeliefNetwork(new DbnConfig(10, [6, 4], 3)).StateDict().Select(kv => kv.Key).ToArray();
        Assert.Equal(["input_mean", "input_scale", "hidden.0.weight", "hidden.0.bias", "hidden.1.weight", "hidden.1.bias", "output.weight", "output.bias"], dbn);
    }

    [Fact]
    public void PaperSizedNetworksHaveThePapersParameterCounts()
    {
        // Constructed only (no forward). Counts are sums of (in·out·k^d + out) over the layers listed in the papers.
        // AlexNet without groups, 227x227, 1000 classes: the well-known 62,378,344.
        Assert.Equal(62_378_344, new AudioNet(AudioNetConfig.AlexNet()).ParameterCount());
        // AVEF's audio-network: AlexNet widths on 64x64 segments with the 5x5/2 stem (pool5 256x3x3), fc 4096, C = 6.
        long audioConvs = (3 * 96 * 25 + 96) + (96 * 256 * 25 + 256) + (256 * 384 * 9 + 384) + (384 * 384 * 9 + 384) + (384 * 256 * 9 + 256);
        var audio = new AudioNet(AudioNetConfig.Paper(Classes));
        Assert.Equal(2304, audio.FlatSize);
        Assert.Equal(audioConvs + (2304 * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * Classes + Classes), audio.ParameterCount());
        // C3D-Sports-1M: 16x112x112, pool5 512x1x4x4 = 8192, fc 4096, 487 classes.
        long c3dConvs = (3 * 64 * 27 + 64) + (64 * 128 * 27 + 128) + (128 * 256 * 27 + 256) + (256 * 256 * 27 + 256)
                      + (256 * 512 * 27 + 512) + 3 * (512 * 512 * 27 + 512);
        var c3d = new VisualNet(VisualNetConfig.Paper(487));
        Assert.Equal(8192, c3d.FlatSize);
        Assert.Equal(c3dConvs + (8192 * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * 487 + 487), c3d.ParameterCount());
        // The DBN 8192-4096-2048-C.
        Assert.Equal((8192L * 4096 + 4096) + (4096 * 2048 + 2048) + (2048 * Classes + Classes), new DeepBeliefNetwork(DbnConfig.Paper(Classes)).ParameterCount());
    }

    [Fact]
    public void AvefNetworkFusesAlignedSegmentsIntoScoresAndTheDbnFeature()
    {
        var net = Tiny();
        var (a, v) = Segments(3);
        var o = net.Forward(a, v);
        Assert.Equal([3, Classes], o.Scores.Shape.ToArray());
        Assert.Equal([3, 8], o.Fused.Shape.ToArray());
        Assert.Equal([3, Classes], o.AudioScores.Shape.ToArray());
        Assert.Equal([3, Classes], o.VisualScores!.Shape.ToArray());
        Assert.Equal([3, 16 + 12], net.SegmentFeatures(a, v).Shape.ToArray());
        // The fused feature is the DBN's last hidden layer over [f_audio, f_visual].
        var expected = net.Dbn.ForwardWithFeatures(net.SegmentFeatures(a, v)).Features;
        Assert.Equal(expected.Data, o.Fused.Data);
        Assert.Throws<ShapeException>(() => net.Forward(a, Segments(2).Visual));
        Assert.Contains("AudioNet", Assert.Throws<ShapeException>(() => net.Audio.Forward(new Tensor(1, 3, 32, 64))).Message);
        Assert.Contains("VisualNet", Assert.Throws<ShapeException>(() => net.Visual.Forward(new Tensor(1, 1, 8, 16, 16))).Message);
    }

    [Fact]
    public void FineTuningSendsGradientsThroughTheDbnIntoBothCnns()
    {
        var net = Tiny();
        var (a, v) = Segments(3);
        Losses.CrossEntropy(net.Forward(a, v).Scores, Targets).Backward();
        foreach (var (name, p) in net.NamedParameters())
        {
            if (name.Contains("fc8")) { Assert.Null(p.Grad); continue; } // unimodal heads are not in the fused loss
            Assert.True(p.Grad is not null && p.Grad.Any(g => g != 0), $"{name} received no gradient");
        }
    }

    [Fact]
    public void ClipPoolingAveragesEachClipsSegmentsDifferentiably()
    {
        var f = new Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5, 2);
        f.RequireGrad();
        var pooled = ClipPooling.Average(f, [2, 3]);
        Assert.Equal([2f, 3f, 7f, 8f], pooled.Data);
        pooled.Sum().Backward();
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f, 1 / 3f, 1 / 3f, 1 / 3f, 1 / 3f, 1 / 3f, 1 / 3f], f.Grad!);
        Assert.Throws<ShapeException>(() => ClipPooling.Average(f, [2, 2]));
        Assert.Throws<ArgumentException>(() => ClipPooling.Average(f, [5, 0]));
    }

    [Fact]
    public void FrozenShallowLayersStayPutWhileDeepLayersLearn()
    {
        var net = Tiny();
        net.FreezeShallowLayers();
        var shallow = net.ShallowParameters().Select(p => p.Data.ToArray()).ToList();
        var deep = net.DeepParameters().Select(p => p.Data.ToArray()).ToList();
        var opt = new Sgd(net.Parameters(), learningRate: 0.1, momentum: 0.9);
        var (a, v) = Segments(3);
        for (int step = 0; step < 2; step++)
        {
            opt.ZeroGrad();
            Losses.CrossEntropy(net.Forward(a, v).Scores, Targets).Backward();
            opt.Step();
        }
        var shallowAfter = net.ShallowParameters().ToList();
        for (int i = 0; i < shallow.Count; i++) Assert.Equal(shallow[i], shallowAfter[i].Data);
        Assert.All(shallowAfter, p => Assert.Null(p.Grad));
        var deepAfter = net.DeepParameters().ToList();
        int changed = Enumerable.Range(0, deep.Count).Count(i => !deep[i].SequenceEqual(deepAfter[i].Data));
        Assert.Equal(deep.Count - 4, changed); // all but the unimodal fc8 weights and biases of both nets

        net.FreezeShallowLayers(false);
        Assert.All(net.ShallowParameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void FrozenBatchNormsKeepTheirStatistics()
    {
        var net = Tiny(audio: TinyAudio with { BatchNorm = true });
        Assert.Contains(net.StateDict(), kv => kv.Key == "audio.bn1.running_mean");
        net.FreezeShallowLayers();
        net.Train();
        var before = net.StateDict().Where(kv => kv.Key.Contains("running")).Select(kv => kv.Value.Data.ToArray()).ToList();
        var (a, v) = Segments(3);
        net.Forward(a, v);
        var after = net.StateDict().Where(kv => kv.Key.Contains("running")).Select(kv => kv.Value.Data).ToList();
        for (int i = 0; i < before.Count; i++) Assert.Equal(before[i], after[i]);
        Assert.True(net.Dbn.Training);
    }

    [Fact]
    public void ResetDeepLayersReinitialisesOnlyTheDeepLayers()
    {
        var net = Tiny();
        var shallow = net.ShallowParameters().Select(p => p.Data.ToArray()).ToList();
        var deep = net.DeepParameters().Select(p => p.Data.ToArray()).ToList();
        net.ResetDeepLayers(new RandomStream(77));
        Assert.Equal(shallow, net.ShallowParameters().Select(p => p.Data.ToArray()).ToList());
        var deepAfter = net.DeepParameters().ToList();
        Assert.All(Enumerable.Range(0, deep.Count), i => Assert.False(deep[i].SequenceEqual(deepAfter[i].Data), $"deep tensor {i} unchanged"));
    }

    [Fact]
    public void TransferKeepsTheSourceTrunksAndRetrainsTheRestForANewLabelSpace()
    {
        var source = Tiny(seed: 5);
        var dir = Directory.CreateTempSubdirectory("aver-avef-").FullName;
        try
        {
            var path = Path.Combine(dir, "source.safetensors");
            source.Save(path);
            // Target corpus with binary arousal: fc8 and the DBN output have 2 classes.
            var target = new AvefNetwork(new AvefConfig(TinyAudio with { Classes = 2 }, TinyVisual with { Classes = 2 }, [10, 8]), new RandomStream(6));
            target.StartTransfer(path, new RandomStream(7));
            Assert.Equal(source.ShallowParameters().Select(p => p.Data), target.ShallowParameters().Select(p => p.Data));
            Assert.NotEqual(source.Audio.DeepParameters().First().Data, target.Audio.DeepParameters().First().Data);
            Assert.True(target.Audio.ShallowFrozen && target.Visual.ShallowFrozen);
            var groups = target.TransferParamGroups(1e-4);
            Assert.Equal(target.ShallowParameters().Count(), groups[0].Parameters.Count);
            Assert.Equal(1e-4, groups[0].LearningRate);

            var other = new AvefNetwork(new AvefConfig(TinyAudio with { Width = 1.0 / 8 }, TinyVisual, [10, 8]), new RandomStream(8));
            var e = Assert.Throws<Aver.Tensors.Nn.StateDictException>(() => other.StartTransfer(path, new RandomStream(9)));
            Assert.Contains("audio.conv1.weight", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void AModelFileRebuildsTheNetworkFromItsMetadataAlone()
    {
        var net = Tiny(seed: 3, audio: TinyAudio with { BatchNorm = true });
        var dir = Directory.CreateTempSubdirectory("aver-avef-").FullName;
        try
        {
            var path = Path.Combine(dir, "avef.safetensors");
            net.SaveModel(path, new Dictionary<string, string> { ["labels"] = "anger,disgust,fear,happiness,sadness,surprise" });
            var (loaded, meta) = AvefNetwork.FromFile(path);
            Assert.Equal(net.Config.ToJson(), loaded.Config.ToJson());
            Assert.Equal("anger,disgust,fear,happiness,sadness,surprise", meta["labels"]);
            Assert.Equal(net.StateDict().Select(kv => kv.Value.Data), loaded.StateDict().Select(kv => kv.Value.Data));
            new AudioNet(TinyAudio).Save(path);
            Assert.Throws<InvalidDataException>(() => AvefNetwork.FromFile(path));
        }
        finally { Directory.Delete(dir, true); }
        Assert.Equal(1024, AvefConfig.Compact(6).Dbn.InputSize);
        Assert.Equal(8192, AvefConfig.Paper(6).Dbn.InputSize);
    }

    [Fact]
    public void MismatchedPartsAreRejected()
    {
        var audio = new AudioNet(TinyAudio);
        var visual = new VisualNet(TinyVisual);
        Assert.Throws<ArgumentException>(() => new AvefNetwork(audio, visual, new DeepBeliefNetwork(new DbnConfig(27, [4], Classes))));
        Assert.Throws<ArgumentException>(() => new AvefNetwork(audio, visual, new DeepBeliefNetwork(new DbnConfig(28, [4], 3))));
        Assert.Throws<ArgumentException>(() => new AudioNet(TinyAudio with { InputHeight = 8, InputWidth = 8 }));
    }
}
