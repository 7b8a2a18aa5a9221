using Aver.Data.Pipelines;
using Aver.Data.Labels;
using Aver.Inference.Avef;
using Aver.Media;
using Aver.Models.Avef;
using Aver.Tensors;
using Aver.Training.Data;
using Aver.Training.Experiments;
using Aver.Training.Training;

namespace Aver.Inference.Tests.Avef;

public sealed class AvefClipModelTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private static readonly LabelSpace Two = new("two", ["low", "high"]);

    private static FaceTracker NoTracker() => throw new InvalidOperationException("an audio-only AVEF bundle must not load the face detector");

    /// <summary>
    /// A tiny audio-only AVEF bundle trained for one epoch per stage on generated segment stacks (as in
    /// AvefExperimentTests: class 1 has a bright band in the low mel rows, class 0 in the high rows), SVM included.
    /// </summary>
    private string Bundle(int silenceCase)
    {
        var rng = new RandomStream(11);
        var audio = new List<Tensor>();
        var labels = new List<int>();
        for (int c = 0; c < 12; c++)
        {
            int label = c % 2, segments = 2 + c % 3;
            var a = SyntheticAvefAudio.Segments(rng, label, segments);
            audio.Add(a);
            labels.Add(label);
        }
        var set = new AvefSegmentSet(audio, null, labels, Two);
        var settings = new AvefSettings(new AudioNetConfig(Width: 0.05, FcSize: 16, Dropout: 0f), null, [16, 8],
            AudioEpochs: 1, VisualEpochs: 1, WholeEpochs: 1, Rbm: new RbmTraining(Epochs: 2, BatchSize: 8, LearningRate: 0.05));
        var options = new TrainerOptions { BatchSize = 8, LearningRate = 3e-3, Seed = 5, EarlyStoppingPatience = null };
        string run = _tmp.File($"run{silenceCase}");
        AvefExperiment.RunFold(set, [0, 1, 2, 3, 4, 5, 6, 7], [], [8, 9, 10, 11], "G", settings, options, run,
            frontEnds: new AvefFrontEnds(Case: silenceCase));
        return Path.Combine(run, "folds", "avef", "g", AvefExperiment.BundleFileName);
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

    private string Voice(string name)
    {
        var rng = new RandomStream(3);
        // Bursts of a harmonic tone (0.4 s on, 0.2 s off) over faint noise: speech-like energy contrast for the VAD.
        return Wav(name, 2.4, i =>
        {
            double t = i / 16000.0;
            float on = t % 0.6 < 0.4 ? 0.3f : 0f;
            return on * (MathF.Sin(2 * MathF.PI * 180 * i / 16000f) + 0.5f * MathF.Sin(2 * MathF.PI * 360 * i / 16000f)) + 0.003f * (float)(rng.NextDouble() - 0.5);
        });
    }

    [Fact]
    public void ModelLoaderReadsAnAvefBundleAndPredictsAClipWithATimeline()
    {
        var model = Assert.IsType<AvefClipModel>(ModelLoader.Load(Bundle(1), NoTracker));
        Assert.Contains("AVEF audio-only", model.Description);
        Assert.Contains("SVM", model.Description);
        Assert.Equal(Two.Names, model.Labels.Names);

        var p = model.Predict(Voice("voice.wav"), new PredictionOptions());
        Assert.NotNull(p.Probabilities);
        Assert.Equal(Two.Names, p.Probabilities!.Space.Names);
        Assert.Equal(1f, p.Probabilities.Values.Sum(), 4);
        Assert.Contains(p.Label!.Value.Name, Two.Names);
        var branch = Assert.Single(p.Branches);
        Assert.Equal(AvefClipModel.AudioName, branch.Name);
        Assert.Equal(BranchStatus.Used, branch.Status);
        Assert.True(branch.Steps >= 4, $"{branch.Steps} segments in 2.4 s");
        Assert.Equal(1.0, branch.Weight);
        Assert.Equal(2.4, p.Duration, 2);
        Assert.True(p.Timeline.Count >= 3, $"{p.Timeline.Count} timeline windows");
        Assert.All(p.Timeline, s =>
        {
            Assert.Equal(1f, s.Probabilities.Values.Sum(), 4);
            Assert.Equal([AvefClipModel.AudioName], s.Sources);
        });
        Assert.Equal(0, p.Timeline[0].Start);
    }

    [Fact]
    public void SilenceGivesNoLabelAndSaysWhy()
    {
        var model = ModelLoader.Load(Bundle(1), NoTracker);
        var p = model.Predict(Wav("quiet.wav", 1.5, _ => 0f), new PredictionOptions());
        Assert.Null(p.Probabilities);
        Assert.Equal(BranchStatus.Silent, Assert.Single(p.Branches).Status);
        Assert.Contains("silent", p.Problem);
        Assert.Empty(p.Timeline);
    }

    [Fact]
    public void CaseTwoWithoutAnySpeechSegmentSaysTheVadKeptNothing()
    {
        var model = ModelLoader.Load(Bundle(2), NoTracker);
        Assert.Contains("case 2", model.Description);
        var rng = new RandomStream(4);
        // Steady faint noise: loud enough not to be digital silence, but nothing rises over its floor.
        var p = model.Predict(Wav("hiss.wav", 2, _ => 0.02f * (float)(rng.NextDouble() - 0.5)), new PredictionOptions());
        Assert.Null(p.Probabilities);
        Assert.Equal(BranchStatus.Silent, Assert.Single(p.Branches).Status);
        Assert.Contains("no speech", p.Problem);

        var voiced = model.Predict(Voice("voice.wav"), new PredictionOptions());
        Assert.NotNull(voiced.Probabilities);
        Assert.Contains("kept by the VAD", voiced.Branches[0].Message);
    }

    [Fact]
    public void AnAudioOnlyBundleRefusesTheVisualBranchAlone()
    {
        var model = ModelLoader.Load(Bundle(1), NoTracker);
        var e = Assert.Throws<ArgumentException>(() =>
            model.Predict(Voice("voice.wav"), new PredictionOptions { Only = new HashSet<string> { "visual" } }));
        Assert.Contains("AVEF", e.Message);
    }
}
