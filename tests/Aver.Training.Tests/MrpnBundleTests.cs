using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features;
using Aver.Media;
using Aver.Models.Mrpn;
using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;
using Aver.Training.Data;
using Aver.Training.Experiments;
using Aver.Training.Tasks;

namespace Aver.Training.Tests;

/// <summary>MRPN bundles: a saved and reloaded network answers as the in-memory one fed by the training pipelines; bad files are named.</summary>
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
        var network = (UnimodalNetwork)MrpnBundle.Build(Am, Three.Count, new RandomStream(21));
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
        MrpnBundle.Save(path, network, Am, Three, new Dictionary<string, string> { ["fold"] = "A1,2" });

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
        Assert.Equal(8, bundle.Settings.AudioPool);
        Assert.Equal(Am.Audio, bundle.Settings.Audio);
        Assert.Equal("A1,2", SafeTensors.Load(path).Metadata["fold"]);
        var p = bundle.Predict(clip, windows: [new TimeInterval(0, 1), window]);
        Assert.Equal(expected, p.Probabilities);
        Assert.Equal(1 + (int)((2.6 - 1) / 0.2 + 1e-9), p.Segments);
        Assert.Equal(0, p.Frames);
        Assert.Equal(2, p.Windows.Count);
        Fixture.AssertClose(expectedWindow, p.Windows[1].Probabilities, "window [1.2, 2.2) of the reloaded AM", 1e-5f, 1e-6f);
        Assert.NotEqual(p.Windows[0].Probabilities, p.Windows[1].Probabilities);
    }

    [RealFacesFact]
    public void AReloadedN2AnswersAsTheInMemoryNetworkOnARealAudioVideoClip()
    {
        var s = new MrpnExperimentSettings
        {
            Kind = MrpnModelKind.Fusion, Variant = FusionVariant.N2, Audio = Am.Audio, AudioPool = 8, ScoringHidden = 8,
            Visual = new BranchSettings(Width: 4, Channels: 1, Aggregator: AggregatorKind.Transformer, Hidden: 8),
            Video = new MrpnVideoOptions { FaceSize = 24, Color = ImageColor.Gray, Fps = 5, PixelMean = 0.4f, PixelStd = 0.3f },
        };
        var labels = LabelSpaces.Ravdess8;
        var network = (MrpnNetwork)MrpnBundle.Build(s, labels.Count, new RandomStream(31));
        network.Eval();
        string path = Path.Combine(_dir, "n2.safetensors");
        MrpnBundle.Save(path, network, s, labels);

        string clip = Directory.GetFiles(TestPaths.Data("ravdess", "av"), "*.mp4").Order(StringComparer.Ordinal).First();
        var item = new CatalogItem(clip, Modality.AudioVideo, labels[0], "01", null, "clip", new Dictionary<string, string>());
        var set = new AudioVisualClipSet([item], labels, new MrpnAudioPipeline(s.AudioFeatures, s.AudioPool), new MrpnVideoPipeline(s.Video));
        var input = Assert.Single(set.Batches([0], 1)).Input;
        float[] expected;
        using (GradMode.NoGrad()) expected = Softmax(network.Forward(input).Fused);

        var bundle = MrpnBundle.Load(path);
        Assert.Equal("N2", bundle.Name);
        Assert.Equal(s.Video with { Spatial = null }, bundle.Settings.Video);
        Assert.Equal(AggregatorKind.Transformer, bundle.Settings.Visual.Aggregator);
        var p = bundle.Predict(clip);
        Fixture.AssertClose(expected, p.Probabilities, "N2 clip probabilities", 1e-5f, 1e-6f);
        Assert.Equal(input.Frames.Dim(1), p.Frames);
        Assert.Equal(input.Segments.Dim(1), p.Segments);
    }

    /// <summary>Rewrites the bundle at <paramref name="path"/> with its metadata and tensors edited.</summary>
    private static void Edit(string path, Action<Dictionary<string, string>> meta, Action<Dictionary<string, Tensor>>? tensors = null)
    {
        var file = SafeTensors.Load(path);
        var m = new Dictionary<string, string>(file.Metadata);
        var t = new Dictionary<string, Tensor>(file.Tensors);
        meta(m);
        tensors?.Invoke(t);
        SafeTensors.Save(path, t, m);
    }

    [Theory]
    [InlineData("missing key", "'audio.pool'")]
    [InlineData("unknown network", "'network' is 'N7'")]
    [InlineData("unknown aggregator", "'audio.aggregator' is 'gru'")]
    [InlineData("newer layout", "'mrpn_version' is '2'")]
    [InlineData("bad number", "'scoring_hidden' is 'eight'")]
    [InlineData("wider than its tensors", "mis-shaped")]
    [InlineData("more labels than classes", "mis-shaped scoring")]
    [InlineData("a tensor missing", "missing norm.running_var")]
    [InlineData("a tensor too many", "unexpected extra.weight")]
    public void ABadBundleIsRefusedNamingTheFileAndTheProblem(string problem, string message)
    {
        string path = Path.Combine(_dir, "bad.safetensors");
        MrpnBundle.Save(path, TrainedAm(), Am, Three);
        Edit(path, m =>
        {
            switch (problem)
            {
                case "missing key": m.Remove("audio.pool"); break;
                case "unknown network": m["network"] = "N7"; break;
                case "unknown aggregator": m["audio.aggregator"] = "gru"; break;
                case "newer layout": m["mrpn_version"] = "2"; break;
                case "bad number": m["scoring_hidden"] = "eight"; break;
                case "wider than its tensors": m["audio.width"] = "8"; break;
                case "more labels than classes": m["labels"] += ",sad"; break;
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

    [Fact]
    public void SavingANetworkOfAnotherKindThanTheSettingsSayIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            MrpnBundle.Save(Path.Combine(_dir, "x.safetensors"), TrainedAm(), Am with { Kind = MrpnModelKind.Fusion }, Three));
        Assert.Contains("N2", e.Message);
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
