using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Inference.Mrpn;
using Aver.Media;
using Aver.Models.Mrpn;
using Aver.Tensors;
using Aver.Training.Experiments;

namespace Aver.Inference.Tests.Mrpn;

public sealed class MrpnClipModelTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private static readonly LabelSpace Three = new("three", ["calm", "happy", "angry"]);
    private static readonly BranchSettings Tiny = new(Width: 4, Channels: 1, Aggregator: AggregatorKind.Lstm, Hidden: 8);

    private static FaceTracker NoTracker() => throw new InvalidOperationException("this MRPN bundle must not load the face detector");

    /// <summary>A fold folder as MrpnExperiment leaves it: best weights, checkpoint and the bundle (untrained weights: the plumbing is under test).</summary>
    private string Fold(MrpnModelKind kind)
    {
        var s = new MrpnExperimentSettings
        {
            Kind = kind, Audio = Tiny, Visual = Tiny, AudioPool = 8, ScoringHidden = 8,
            Video = new MrpnVideoOptions { FaceSize = 24, Color = ImageColor.Gray, Fps = 5 },
        };
        string folder = _tmp.File($"fold-{kind}");
        Directory.CreateDirectory(folder);
        var network = s.Architecture.Build(Three.Count, new RandomStream(7));
        network.Save(Path.Combine(folder, "best.safetensors"));
        network.Save(Path.Combine(folder, "checkpoint.safetensors"));
        Aver.Models.Spec.ModelFile.Save(Path.Combine(folder, MrpnExperiment.BundleFileName), network, s.ToSpec(Three));
        return folder;
    }

    private string Wav(string name, double seconds, Func<int, float> sample)
    {
        int rate = 16000, n = (int)(seconds * rate);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = sample(i);
        var path = _tmp.File(name);
        Aver.Media.Wav.Write(path, new AudioBuffer(x, rate));
        return path;
    }

    /// <summary>A tone with vibrato whose loudness rises and falls three times a second, as syllables do.</summary>
    private string Voice() => Wav("voice.wav", 2.4, i => 0.3f * (0.55f + 0.45f * MathF.Sin(2 * MathF.PI * 3 * i / 16000f)) * MathF.Sin(2 * MathF.PI * (180 + 60 * MathF.Sin(i / 3000f)) * i / 16000f));

    /// <summary>A 2-s clip of a flat blue picture: a video stream without a face; with a tone unless <paramref name="silentFilm"/>.</summary>
    private string Blue(bool silentFilm)
    {
        var path = _tmp.File(silentFilm ? "blue-silent.mp4" : "blue.mp4");
        string[] sound = silentFilm ? [] : ["-f", "lavfi", "-i", "sine=f=300:d=2,tremolo=f=3:d=0.9"];
        TestFfmpeg.Run(["-f", "lavfi", "-i", "color=c=blue:s=160x120:d=2:r=10", .. sound, "-c:v", "libx264", "-pix_fmt", "yuv420p",
            .. (silentFilm ? (string[])[] : ["-c:a", "aac", "-shortest"]), path]);
        return path;
    }

    [Fact]
    public void ModelLoaderReadsAnAmBundleFromItsFoldFolderAndAnswersWithATimeline()
    {
        string folder = Fold(MrpnModelKind.Audio), clip = Voice();
        var model = Assert.IsType<MrpnClipModel>(ModelLoader.Load(folder, NoTracker));
        Assert.EndsWith(MrpnExperiment.BundleFileName, model.Source);
        Assert.Contains("MRPN AM (audio only) over three (3 classes)", model.Description);
        Assert.Equal(Three.Names, model.Labels.Names);

        var p = model.Predict(clip, new PredictionOptions());
        Assert.NotNull(p.Probabilities);
        Assert.Equal(1f, p.Probabilities!.Values.Sum(), 4);
        Assert.Equal(model.Bundle.Predict(clip).Probabilities, p.Probabilities.Values);
        var branch = Assert.Single(p.Branches);
        Assert.Equal((MrpnClipModel.AudioName, BranchStatus.Used, 8, 1.0), (branch.Name, branch.Status, branch.Steps, branch.Weight));
        Assert.Equal(2.4, p.Duration, 2);
        // Windows of 1 s every 0.5 s, the last one ending at the clip's end; each the network's answer on that slice alone.
        Assert.Equal([0, 0.5, 1, 1.4], p.Timeline.Select(s => Math.Round(s.Start, 3)));
        Assert.All(p.Timeline, s => { Assert.Equal(1f, s.Probabilities.Values.Sum(), 4); Assert.Equal([MrpnClipModel.AudioName], s.Sources); });
        var last = model.Bundle.Predict(clip, windows: [new(1.4, 2.4)]).Windows[0].Probabilities;
        // (run alone here, in a batch of windows there: equal up to float rounding of the batched kernels)
        Fixture.AssertClose(last, p.Timeline[^1].Probabilities.Values, "last window", 1e-5f, 1e-6f);
    }

    [Fact]
    public void SilenceGivesNoLabelAndSaysWhy()
    {
        var model = ModelLoader.Load(Fold(MrpnModelKind.Audio), NoTracker);
        var p = model.Predict(Wav("quiet.wav", 1.5, _ => 0f), new PredictionOptions());
        Assert.Null(p.Probabilities);
        Assert.Equal(BranchStatus.Silent, Assert.Single(p.Branches).Status);
        Assert.Contains("silent", p.Problem);
        Assert.Empty(p.Timeline);
    }

    [Fact]
    public void AModelThatNeedsAStreamTheClipLacksSaysWhich()
    {
        // A fusion network on an audio file: no video stream, and the detector is never loaded.
        var n2 = ModelLoader.Load(Fold(MrpnModelKind.Fusion), NoTracker);
        Assert.Contains("MRPN N2 (audio-visual)", n2.Description);
        var p = n2.Predict(Voice(), new PredictionOptions());
        Assert.Null(p.Probabilities);
        var branch = Assert.Single(p.Branches);
        Assert.Equal((MrpnClipModel.AudioVisualName, BranchStatus.NoStream), (branch.Name, branch.Status));
        Assert.Contains("no video stream", p.Problem);
        Assert.Contains("needs the face", p.Problem);

        // AM on a film without sound.
        var am = ModelLoader.Load(Fold(MrpnModelKind.Audio), NoTracker);
        var q = am.Predict(Blue(silentFilm: true), new PredictionOptions());
        Assert.Null(q.Probabilities);
        Assert.Equal(BranchStatus.NoStream, q.Branches[0].Status);
        Assert.Contains("no audio stream", q.Problem);
    }

    [Fact]
    public void OnlyTheBranchesAModelHasCanBeAskedFor()
    {
        var am = ModelLoader.Load(Fold(MrpnModelKind.Audio), NoTracker);
        var e = Assert.Throws<ArgumentException>(() => am.Predict(Voice(), new PredictionOptions { Only = new HashSet<string> { "visual" } }));
        Assert.Contains("MRPN AM", e.Message);
        var n2 = ModelLoader.Load(Fold(MrpnModelKind.Fusion), NoTracker);
        var e2 = Assert.Throws<ArgumentException>(() => n2.Predict(Voice(), new PredictionOptions { Only = new HashSet<string> { "audio" } }));
        Assert.Contains("audio and faces together", e2.Message);
    }

    [FactRequires(Need.BlazeFace)]
    public void AVideoWithoutAFaceGivesNoLabelFromAModelThatNeedsFaces()
    {
        var clip = Blue(silentFilm: false);
        foreach (var kind in new[] { MrpnModelKind.Video, MrpnModelKind.Fusion })
        {
            var model = ModelLoader.Load(Fold(kind));
            var p = model.Predict(clip, new PredictionOptions());
            Assert.Null(p.Probabilities);
            Assert.Equal(BranchStatus.NoFace, Assert.Single(p.Branches).Status);
            Assert.Contains("no face found in any of the 10 frames sampled at 5 fps", p.Problem);
        }
    }

    [Fact]
    public void ABundleWithBadMetadataIsAClearErrorFromTheLoader()
    {
        string folder = Fold(MrpnModelKind.Audio), path = Path.Combine(folder, MrpnExperiment.BundleFileName);
        var file = Aver.Tensors.IO.SafeTensors.Load(path);
        var meta = new Dictionary<string, string>(file.Metadata);
        var spec = System.Text.Json.Nodes.JsonNode.Parse(meta[Aver.Models.Spec.ModelSpec.MetadataKey])!.AsObject();
        spec.Remove("labels");
        meta[Aver.Models.Spec.ModelSpec.MetadataKey] = spec.ToJsonString();
        Aver.Tensors.IO.SafeTensors.Save(path, file.Tensors, meta);
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(folder, NoTracker));
        Assert.Contains(path, e.Message);
        Assert.Contains("model spec labels is unreadable", e.Message);
    }
}
