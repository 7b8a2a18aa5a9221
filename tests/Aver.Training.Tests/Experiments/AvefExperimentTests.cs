using Aver.Data.Labels;
using Aver.Models.Avef;
using Aver.Models.Svm;
using Aver.Tensors;
using Aver.Training.Data;
using Aver.Training.Experiments;
using Aver.Inference.Avef;
using Aver.Training.Training;

namespace Aver.Training.Tests.Experiments;

public sealed class AvefExperimentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-avef-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly LabelSpace Two = new("two", ["low", "high"]);

    // Generated "clips": class 1's segments carry a bright band in the low mel rows, class 0's in the high
    // rows, over noise; 2-4 segments per clip. Faces (when asked) are a bright or dark volume.
    private static AvefSegmentSet Clips(int clips, ulong seed, bool faces = false, int faceSize = 16)
    {
        var rng = new RandomStream(seed);
        var audio = new List<Tensor>();
        var visual = new List<Tensor>();
        var labels = new List<int>();
        for (int c = 0; c < clips; c++)
        {
            int label = c % 2, segments = 2 + c % 3;
            var a = SyntheticAvefAudio.Segments(rng, label, segments);
            audio.Add(a);
            if (faces)
            {
                var v = new Tensor(segments, 3, 16, faceSize, faceSize);
                for (int i = 0; i < v.Size; i++) v.Data[i] = (float)rng.NextDouble() * 0.2f + (label == 1 ? 0.7f : 0.1f);
                visual.Add(v);
            }
            labels.Add(label);
        }
        return new AvefSegmentSet(audio, faces ? visual : null, labels, Two);
    }

    private static AvefSettings Tiny(bool faces, int epochs = 3) => new(
        new AudioNetConfig(Width: 0.05, FcSize: 16, Dropout: 0f),
        faces ? new VisualNetConfig(Width: 0.05, FcSize: 16, InputHeight: 16, InputWidth: 16, Dropout: 0f) : null,
        [16, 8], AudioEpochs: epochs, VisualEpochs: epochs, WholeEpochs: epochs,
        Rbm: new RbmTraining(Epochs: 3, BatchSize: 8, LearningRate: 0.05));

    private static readonly TrainerOptions Options = new() { BatchSize = 8, LearningRate = 3e-3, Seed = 5, EarlyStoppingPatience = null };

    [Fact]
    public void SegmentSetKeepsEachClipsSegmentsTogetherWithTheClipLabel()
    {
        var set = Clips(6, 1);
        Assert.Equal(6, set.ClipCount);
        Assert.Equal(2 + 3 + 4 + 2 + 3 + 4, set.Count);
        Assert.Equal([5, 6, 7, 8], set.SegmentsOf([2]));
        Assert.Equal([2, 3, 4, 0, 1], set.SegmentsOf([1, 0]));
        Assert.All(set.SegmentsOf([3]), s => Assert.Equal(1, set.LabelIndex(s)));
        var batch = Assert.Single(set.Batches([5, 6, 7], 8));
        Assert.Equal([3, 3, 64, 64], batch.Input.Audio.Shape.ToArray());
        Assert.Null(batch.Input.Visual);
        Assert.Throws<ArgumentOutOfRangeException>(() => set.SegmentsOf([6]));
    }

    [Fact]
    public void AudioOnlyAvefRunsEveryStageAndItsSvmSeparatesTheClips()
    {
        var set = Clips(24, 2);
        int[] train = Enumerable.Range(0, 12).ToArray(), validation = [12, 13, 14, 15], test = Enumerable.Range(16, 8).ToArray();
        var result = AvefExperiment.RunFold(set, train, validation, test, "F1", Tiny(false), Options, _dir);

        Assert.Equal(AvefExperiment.Rows(false).OrderBy(r => r), result.Rows.Keys.OrderBy(r => r));
        var svm = result.Rows[AvefExperiment.SvmRow];
        Assert.Equal(8, svm.Confusion.Total);
        Assert.True(svm.Accuracy >= 0.875, $"SVM clip accuracy {svm.Accuracy}");
        Assert.Equal(8, svm.Features!.GetLength(0));
        Assert.Equal(8, svm.Features.GetLength(1)); // the DBN's last hidden layer, pooled per clip
        Assert.Equal(3, result.Rows[AvefExperiment.AudioRow].History!.Count);
        Assert.Equal(3, result.Rows[AvefExperiment.DbnRow].History!.Count);

        string fold = Path.Combine(_dir, "folds", "avef", "f1");
        foreach (var stage in new[] { "audio-net", "whole" }) Assert.True(File.Exists(Path.Combine(fold, stage, Checkpoint.FileName)), stage);
        using var bundle = AvefBundle.Load(Path.Combine(fold, AvefExperiment.BundleFileName));
        Assert.Equal(Two, bundle.Labels);
        Assert.IsType<AvefAudioNetwork>(bundle.Model);
        var classifier = bundle.Svm!;
        Assert.Equal(SvmKernel.Polynomial, classifier.Parameters.Kernel);
        Assert.True(classifier.HasProbability);

        // The saved bundle reproduces the fold's SVM predictions, and predicts a clip with probabilities.
        var pooled = AvefExperiment.ClipOutputs(bundle.Model, set, test, 8).Fused;
        var predicted = classifier.Predict(pooled);
        var confusion = Aver.Data.Metrics.ConfusionMatrix.From(Two, test.Select(set.ClipLabel).ToArray(), predicted);
        Assert.Equal(svm.Accuracy, confusion.Accuracy);
        var segments = set.SegmentsOf([test[0]]);
        var clip = new Aver.Data.Pipelines.AvefClipAudio(set.Audio.IndexSelect(0, segments),
            segments.Select(i => new Aver.Features.TimeInterval(i * 0.34, i * 0.34 + 0.655)).ToArray(), [.. Enumerable.Range(0, segments.Length)], segments.Length, []);
        var answer = bundle.Predict(clip, null);
        Assert.Equal(1f, answer.Probabilities.Sum(), 3);
        Assert.Equal(segments.Length, answer.Segments.Count);
        Assert.All(answer.Segments, seg => Assert.Equal(1f, seg.Probabilities.Sum(), 3));

        // A second run resumes from the checkpoints and gives the same confusion.
        var again = AvefExperiment.RunFold(set, train, validation, test, "F1", Tiny(false), Options, _dir);
        Assert.Equal(svm.Confusion.Accuracy, again.Rows[AvefExperiment.SvmRow].Accuracy);
    }

    [Fact]
    public void AudioVisualAvefTrainsBothNetworksAndReportsTheirRows()
    {
        var set = Clips(12, 3, faces: true);
        var result = AvefExperiment.RunFold(set, [0, 1, 2, 3, 4, 5, 6, 7], [], [8, 9, 10, 11], "G", Tiny(true, epochs: 1), Options, _dir);
        Assert.Equal(AvefExperiment.Rows(true).OrderBy(r => r), result.Rows.Keys.OrderBy(r => r));
        Assert.All(result.Rows.Values, r => Assert.Equal(4, r.Confusion.Total));
        Assert.True(File.Exists(Path.Combine(_dir, "folds", "avef", "g", "visual-net", Checkpoint.FileName)));
        var (network, _) = AvefNetwork.FromFile(Path.Combine(_dir, "folds", "avef", "g", "avef.safetensors"));
        Assert.Equal(16 + 16, network.Dbn.Config.InputSize);
    }

    [Fact]
    public void TransferKeepsTheSourceTrunkAndRetrainsTheDeepLayers()
    {
        var set = Clips(12, 4);
        var source = Tiny(false).Build(2, new RandomStream(9));
        string path = Path.Combine(_dir, "source.safetensors");
        source.SaveModel(path);
        var settings = Tiny(false, epochs: 1) with { TransferFrom = path, FreezeShallow = true };
        AvefExperiment.RunFold(set, [0, 1, 2, 3, 4, 5, 6, 7], [], [8, 9, 10, 11], "T", settings, Options, _dir);
        var (tuned, _) = AvefAudioNetwork.FromFile(Path.Combine(_dir, "folds", "avef", "t", "avef.safetensors"));
        var kept = source.Module.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var (name, t) in tuned.StateDict())
            if (name.StartsWith("audio.conv", StringComparison.Ordinal)) Assert.Equal(kept[name].Data, t.Data);
        Assert.NotEqual(kept["audio.fc8.weight"].Data, tuned.StateDict().First(kv => kv.Key == "audio.fc8.weight").Value.Data);
    }

    [Fact]
    public void SettingsAndDataMustAgreeOnTheModalities()
    {
        var e = Assert.Throws<ArgumentException>(() => AvefExperiment.Run(Clips(4, 5), null!, null!, Tiny(true), Options, _dir));
        Assert.Contains("audio-visual", e.Message);
    }
}
