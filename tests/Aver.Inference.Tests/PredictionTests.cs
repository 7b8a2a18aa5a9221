using Aver.Data.Labels;
using Aver.Inference.Fusion;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Inference.Tests;

public class PredictionTests
{
    private static FaceTracker NoTracker() => throw new InvalidOperationException("an audio file must not load the face detector");

    private static string Tone(TempFolder tmp, string name, double seconds, float amplitude)
    {
        var rng = new RandomStream(9);
        int rate = 16000, n = (int)(seconds * rate);
        var x = new float[n];
        // Syllable-like: the loudness rises and falls three times a second (a steady tone is no speech).
        for (int i = 0; i < n; i++)
            x[i] = amplitude * (0.55f + 0.45f * MathF.Sin(2 * MathF.PI * 3 * i / rate)) * (MathF.Sin(2 * MathF.PI * 220 * i / rate) + 0.3f * (float)(rng.NextDouble() - 0.5));
        var path = tmp.File(name);
        Wav.Write(path, new AudioBuffer(x, rate));
        return path;
    }

    [Fact]
    public void An_audio_file_runs_the_audio_branch_alone_with_a_timeline()
    {
        using var tmp = new TempFolder();
        var model = ModelLoader.Load(TinyBundle.Write(tmp.Path), NoTracker);
        var p = model.Predict(Tone(tmp, "tone.wav", 2.3, 0.3f), new PredictionOptions());
        Assert.NotNull(p.Probabilities);
        Assert.Equal(LabelSpaces.Fer7, p.Probabilities!.Space);
        Assert.Equal(1f, p.Probabilities.Values.Sum(), 4);
        var audio = Assert.Single(p.Branches, b => b.Name == "audio");
        Assert.Equal(BranchStatus.Used, audio.Status);
        Assert.Equal(1.0, audio.Weight, 6);                       // the only branch that answered
        Assert.Equal(7, audio.Steps);                             // 1-s segments every 0.2 s over 2.3 s
        Assert.Equal(p.Probabilities.Values, audio.Probabilities!.Values);
        Assert.Equal(BranchStatus.NoStream, Assert.Single(p.Branches, b => b.Name == "visual").Status);
        Assert.Equal([0, 0.5, 1, 1.3], p.Timeline.Select(s => Math.Round(s.Start, 3)).ToArray());
        Assert.All(p.Timeline, s => Assert.Equal(["audio"], s.Sources));
    }

    [Fact]
    public void Silence_gives_no_label_and_says_why()
    {
        using var tmp = new TempFolder();
        var model = ModelLoader.Load(TinyBundle.Write(tmp.Path), NoTracker);
        var p = model.Predict(Tone(tmp, "quiet.wav", 1.5, 0f), new PredictionOptions());
        Assert.Null(p.Probabilities);
        Assert.Equal(BranchStatus.Silent, p.Branches.Single(b => b.Name == "audio").Status);
        Assert.Contains("silent", p.Problem);
        Assert.Empty(p.Timeline);
    }

    [Fact]
    public void An_unreadable_file_throws_a_media_error_naming_it()
    {
        using var tmp = new TempFolder();
        var model = ModelLoader.Load(TinyBundle.Write(tmp.Path), NoTracker);
        var bad = tmp.File("bad.mp4");
        File.WriteAllText(bad, "this is not a video");
        Assert.Contains(bad, Assert.ThrowsAny<MediaException>(() => model.Predict(bad, new PredictionOptions())).Message);
    }

    [Fact]
    public void Fusion_weights_the_branches_that_answered()
    {
        using var tmp = new TempFolder();
        var model = (DecisionFusionModel)ModelLoader.Load(TinyBundle.Write(tmp.Path), NoTracker);
        var s = LabelSpaces.Fer7;
        float[] a = [1, 0, 0, 0, 0, 0, 0], v = [0, 0, 0, 1, 0, 0, 0];
        var windows = Aver.Inference.Branches.TimeWindows.Of(2, 1, 1);
        var outputs = new[]
        {
            new Aver.Inference.Branches.BranchOutput("audio", BranchStatus.Used, new ClassProbabilities(s, a), [new ClassProbabilities(s, a), null], 6, 2, null),
            new Aver.Inference.Branches.BranchOutput("visual", BranchStatus.Used, new ClassProbabilities(s, v), [new ClassProbabilities(s, v), new ClassProbabilities(s, v)], 8, 2, null),
        };
        var p = model.Fuse("x", 2, outputs, windows, 0);
        Assert.Equal(0.4f, p.Probabilities!.Values[0], 5);
        Assert.Equal(0.6f, p.Probabilities.Values[3], 5);
        Assert.Equal("happy", p.Label!.Value.Name);
        Assert.Equal(["audio", "visual"], p.Timeline[0].Sources);
        Assert.Equal(["visual"], p.Timeline[1].Sources);
        Assert.Equal(1f, p.Timeline[1].Probabilities.Values[3], 5);
    }
}
