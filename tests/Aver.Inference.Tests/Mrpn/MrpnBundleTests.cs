using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features;
using Aver.Media;
using Aver.Inference.Mrpn;
using Aver.Models.Mrpn;
using Aver.Models.Spec;
using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;
using Aver.Training.Data;
using Aver.Training.Experiments;
using System.Text.Json.Nodes;

namespace Aver.Inference.Tests.Mrpn;

/// <summary>
/// MRPN model files: a network saved with its spec by training and reloaded by prediction answers as the in-memory one
/// fed by the training pipelines; files of the earlier flat-key layout still load; bad files are named.
/// </summary>
public sealed class MrpnBundleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-mrpn-bundle-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly LabelSpace Three = new("three", ["calm", "happy", "angry"]);

    private static readonly MrpnExperimentSettings Am = new()
    {
        Kind = MrpnModelKind.Audio, Audio = new BranchSettings(Width: 4, Channels: 1, Aggregator: AggregatorKind.Lstm, Hidden: 8), AudioPool = 8, ScoringHidden = 8,
    };

    /// <summary>A 2.6-s tone with vibrato over noise: enough segments and variation for distinct window answers.</summary>
    private string Voice()
    {
        int rate = 16000, n = (int)(2.6 * rate);
        var rng = new RandomStream(9);
        var x = new float[n];
        for (int i = 0; i < n; i++)
            x[i] = 0.3f * MathF.Sin(2 * MathF.PI * (200 + 80 * MathF.Sin(i / 4000f)) * i / rate) * (i < n / 2 ? 1f : 0.4f) + 0.01f * (float)(rng.NextDouble() - 0.5);
        var path = Path.Combine(_dir, "voice.wav");
        Wav.Write(path, new AudioBuffer(x, rate));
        return path;
    }

    /// <summary>An AM whose batch-norm statistics have moved off their defaults (one training-mode pass), so buffers must round-trip too.</summary>
    private static UnimodalNetwork TrainedAm()
    {
        var network = (UnimodalNetwork)Am.Architecture.Build(Three.Count, new RandomStream(21));
        using (GradMode.NoGrad()) network.Forward(Tensor.Normal(new RandomStream(22), 0.5f, 2f, 3, 4, 1, 32, 31), [4, 2, 3]);
        network.Eval();
        return network;
    }

    private static float[] Softmax(Tensor scores) { using var _ = GradMode.NoGrad(); return scores.Softmax(1).Data.ToArray(); }

    [Fact]
    public void AReloadedAmAnswersAsTheInMemoryNetworkOnTheTrainingPipelinesInput()
    {
        string clip = Voice(), path = Path.Combine(_dir, "am.safetensors");
        var network = TrainedAm();
        ModelFile.Save(path, network, Am.ToSpec(Three, extra: new Dictionary<string, string> { ["fold"] = "A1,2" }));

        // In memory: the clip as a fold's test clip is fed (AudioClipSet, no augmentation), and a window as a time-augmentation slice.
        var item = new CatalogItem(clip, Modality.Audio, Three[0], "01", null, "voice", new Dictionary<string, string>());
        var pipeline = new MrpnAudioPipeline(Am.AudioFeatures, Am.AudioPool);
        var input = Assert.Single(new AudioClipSet([item], Three, pipeline).Batches([0], 1)).Input;
        float[] expected;
        float[] expectedWindow;
        var window = new TimeInterval(1.2, 2.2);
        using (GradMode.NoGrad())
        {
            expected = Softmax(network.Forward(input.Steps, input.Lengths));
            var slice = pipeline.SegmentsIn(item, window).Spectrograms;
            expectedWindow = Softmax(network.Forward(slice.Reshape([1, .. slice.Shape]), null));
        }

        var bundle = MrpnBundle.Load(path);
        Assert.Equal("AM", bundle.Name);
        Assert.Equal(Three, bundle.Labels);
        Assert.Equal(8, bundle.FrontEnds.AudioPool);
        Assert.Equal(Am.AudioFeatures, bundle.FrontEnds.Audio);
        Assert.Equal(Am.Audio.Architecture, bundle.Architecture.Audio);
        Assert.Equal("A1,2", bundle.Spec.Extra!["fold"]);
        var p = bundle.Predict(clip, windows: [new TimeInterval(0, 1), window]);
        Assert.Equal(expected, p.Probabilities);
        Assert.Equal(1 + (int)((2.6 - 1) / 0.2 + 1e-9), p.Segments);
        Assert.Equal(0, p.Frames);
        Assert.Equal(2, p.Windows.Count);
        Fixture.AssertClose(expectedWindow, p.Windows[1].Probabilities, "window [1.2, 2.2) of the reloaded AM", 1e-5f, 1e-6f);
        Assert.NotEqual(p.Windows[0].Probabilities, p.Windows[1].Probabilities);
    }

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void AReloadedN2AnswersAsTheInMemoryNetworkOnARealAudioVideoClip()
    {
        var s = new MrpnExperimentSettings
        {
            Kind = MrpnModelKind.Fusion, Variant = FusionVariant.N2, Audio = Am.Audio, AudioPool = 8, ScoringHidden = 8,
            Visual = new BranchSettings(Width: 4, Channels: 1, Aggregator: AggregatorKind.Transformer, Hidden: 8),
            Video = new MrpnVideoOptions { FaceSize = 24, Color = ImageColor.Gray, Fps = 5, PixelMean = 0.4f, PixelStd = 0.3f },
        };
        var labels = LabelSpaces.Ravdess8;
        var network = (MrpnNetwork)s.Architecture.Build(labels.Count, new RandomStream(31));
        network.Eval();
        string path = Path.Combine(_dir, "n2.safetensors");
        ModelFile.Save(path, network, s.ToSpec(labels));

        string clip = Directory.GetFiles(TestPaths.Data("ravdess", "av"), "*.mp4").Order(StringComparer.Ordinal).First();
        var item = new CatalogItem(clip, Modality.AudioVideo, labels[0], "01", null, "clip", new Dictionary<string, string>());
        var set = new AudioVisualClipSet([item], labels, new MrpnAudioPipeline(s.AudioFeatures, s.AudioPool), new MrpnVideoPipeline(s.Video));
        var input = Assert.Single(set.Batches([0], 1)).Input;
        float[] expected;
        using (GradMode.NoGrad()) expected = Softmax(network.Forward(input).Fused);

        var bundle = MrpnBundle.Load(path);
        Assert.Equal("N2", bundle.Name);
        Assert.Equal(s.Video with { Spatial = null }, bundle.FrontEnds.Video);
        Assert.Equal(AggregatorKind.Transformer, bundle.Architecture.Visual!.Aggregator);
        var p = bundle.Predict(clip);
        Fixture.AssertClose(expected, p.Probabilities, "N2 clip probabilities", 1e-5f, 1e-6f);
        Assert.Equal(input.Frames.Dim(1), p.Frames);
        Assert.Equal(input.Segments.Dim(1), p.Segments);
    }

    /// <summary>Rewrites the file at <paramref name="path"/> with its spec (JSON) and tensors edited.</summary>
    private static void Edit(string path, Action<JsonObject> spec, Action<Dictionary<string, Tensor>>? tensors = null)
    {
        var file = SafeTensors.Load(path);
        var m = new Dictionary<string, string>(file.Metadata);
        var t = new Dictionary<string, Tensor>(file.Tensors);
        var root = JsonNode.Parse(m[ModelSpec.MetadataKey])!.AsObject();
        spec(root);
        m[ModelSpec.MetadataKey] = root.ToJsonString();
        tensors?.Invoke(t);
        SafeTensors.Save(path, t, m);
    }

    [Theory]
    [InlineData("missing pool", "front_ends.audio.pool")]
    [InlineData("unknown front-end option", "front_ends.audio is unreadable")]
    [InlineData("unknown network", "'N7' is not one of AM, VM, N0, N1, N2")]
    [InlineData("unknown aggregator", "architecture is unreadable")]
    [InlineData("newer layout", "version 2 is newer")]
    [InlineData("unknown family", "a 'gru-net' model, not an MRPN one")]
    [InlineData("bad number", "architecture is unreadable")]
    [InlineData("wider than its tensors", "mis-shaped")]
    [InlineData("more labels than classes", "mis-shaped scoring")]
    [InlineData("a tensor missing", "missing norm.running_var")]
    [InlineData("a tensor too many", "unexpected extra.weight")]
    public void ABadFileIsRefusedNamingTheFileAndTheProblem(string problem, string message)
    {
        string path = Path.Combine(_dir, "bad.safetensors");
        ModelFile.Save(path, TrainedAm(), Am.ToSpec(Three));
        Edit(path, spec =>
        {
            var audio = spec["front_ends"]!["audio"]!.AsObject();
            var arch = spec["architecture"]!.AsObject();
            switch (problem)
            {
                case "missing pool": audio.Remove("pool"); break;
                case "unknown front-end option": audio["bogus"] = 1; break;
                case "unknown network": arch["network"] = "N7"; break;
                case "unknown aggregator": arch["audio"]!["aggregator"] = "gru"; break;
                case "newer layout": spec["spec_version"] = 2; break;
                case "unknown family": spec["family"] = "gru-net"; break;
                case "bad number": arch["scoring_hidden"] = "eight"; break;
                case "wider than its tensors": arch["audio"]!["width"] = 8; break;
                case "more labels than classes": spec["labels"]!["names"]!.AsArray().Add("sad"); break;
            }
        }, t =>
        {
            if (problem == "a tensor missing") t.Remove("norm.running_var");
            if (problem == "a tensor too many") t["extra.weight"] = new Tensor(2);
        });
        var e = Assert.Throws<InvalidDataException>(() => MrpnBundle.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(message, e.Message);
    }

    /// <summary>The flat keys an mrpn_version 1 file (written before the model spec) holds for <see cref="Am"/>.</summary>
    private static Dictionary<string, string> V1Metadata() => new()
    {
        ["format"] = "mrpn", ["mrpn_version"] = "1", ["network"] = "AM", ["label_space"] = "three", ["labels"] = "calm,happy,angry",
        ["scoring_hidden"] = "8", ["dropout"] = "0.3", ["audio.width"] = "4", ["audio.aggregator"] = "lstm", ["audio.hidden"] = "8",
        ["audio.sample_rate"] = "16000", ["audio.segment_samples"] = "16000", ["audio.segment_hop_samples"] = "3200", ["audio.n_fft"] = "512",
        ["audio.hop_length"] = "64", ["audio.bins"] = "256", ["audio.log_epsilon"] = "1E-06", ["audio.pool"] = "8", ["fold"] = "A3,4",
    };

    [Fact]
    public void AFileOfTheEarlierFlatKeyLayoutLoadsAndAnswersAsTheSameWeightsWithASpec()
    {
        var network = TrainedAm();
        string v1 = Path.Combine(_dir, "v1.safetensors"), v2 = Path.Combine(_dir, "v2.safetensors"), clip = Voice();
        network.Save(v1, V1Metadata());
        ModelFile.Save(v2, network, Am.ToSpec(Three));
        var old = MrpnBundle.Load(v1);
        var current = MrpnBundle.Load(v2);
        Assert.Equal(current.Architecture, old.Architecture);
        Assert.Equal(current.FrontEnds, old.FrontEnds);
        Assert.Equal("A3,4", old.Spec.Extra!["fold"]);
        Assert.Equal(current.Predict(clip).Probabilities, old.Predict(clip).Probabilities);
    }

    [Theory]
    [InlineData("audio.pool", "without 'audio.pool'")]
    [InlineData("mrpn_version", "without 'mrpn_version'")]
    public void AnEarlierFileMissingAKeyIsRefusedNamingIt(string key, string message)
    {
        string path = Path.Combine(_dir, "v1.safetensors");
        var meta = V1Metadata();
        meta.Remove(key);
        TrainedAm().Save(path, meta);
        var e = Assert.Throws<InvalidDataException>(() => MrpnBundle.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void SavingANetworkOfAnotherKindThanTheSpecSaysIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            ModelFile.Save(Path.Combine(_dir, "x.safetensors"), TrainedAm(), (Am with { Kind = MrpnModelKind.Fusion }).ToSpec(Three)));
        Assert.Contains("mrpn network its spec describes", e.Message);
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
