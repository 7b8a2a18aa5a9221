using Aver.Data.Labels;
using Aver.Inference.Fusion;
using Aver.Media;

namespace Aver.Inference.Tests;

/// <summary>The shipped default model (models/default) on real clips: skipped without ../shared/data or BlazeFace.</summary>
public class DefaultModelTests
{
    private static DecisionFusionModel Default() =>
        (DecisionFusionModel)ModelLoader.Load(Path.Combine(TestPaths.RepoRoot, ModelLoader.DefaultFolder));

    [Fact]
    public void The_shipped_bundle_is_small_predicts_fer7_and_has_its_card()
    {
        var folder = Path.Combine(TestPaths.RepoRoot, ModelLoader.DefaultFolder);
        // It lives in git: float16 weights of four visual networks (widths 16-48) and six audio ones are 27.4 MB; the
        // cap catches float32 (twice that) or a bundle that took on networks unnoticed.
        Assert.True(new FileInfo(Path.Combine(folder, "model.safetensors")).Length <= 30_000_000);
        Assert.True(File.Exists(Path.Combine(folder, "MODEL_CARD.md")));
        Assert.Equal(LabelSpaces.Fer7.Names, File.ReadAllLines(Path.Combine(folder, "labels.txt")));
        var m = (DecisionFusionModel)ModelLoader.Load(folder, () => throw new InvalidOperationException());
        Assert.Equal(LabelSpaces.Fer7, m.Labels);
        Assert.Equal(1.0, m.AudioCalibration.Weight + m.VisualCalibration.Weight, 6);
    }

    [FactRequires(Need.SharedData)]
    public void A_ravdess_clip_with_face_and_voice_runs_both_branches()
    {
        if (BlazeFaceModelFile.Find() is null) return;   // setup.sh not run: the face half cannot run
        var p = Default().Predict(TestPaths.Data("ravdess", "av", "01-01-06-01-01-01-05.mp4"), new PredictionOptions());
        Assert.NotNull(p.Label);
        Assert.All(p.Branches, b => Assert.Equal(BranchStatus.Used, b.Status));
        Assert.InRange(p.Branches.Single(b => b.Name == "visual").Steps, 10, 16);    // 4 fps over 3.25 s, a face in (nearly) every frame
        Assert.InRange(p.Timeline.Count, 5, 7);
        Assert.Contains(p.Timeline, s => s.Sources.Count == 2);
    }

    [FactRequires(Need.SharedData)]
    public void A_cremad_mp3_runs_the_audio_branch_only()
    {
        var p = Default().Predict(TestPaths.Data("crema-d", "1002_DFA_ANG_XX.mp3"), new PredictionOptions());
        Assert.NotNull(p.Label);
        Assert.Equal(BranchStatus.NoStream, p.Branches.Single(b => b.Name == "visual").Status);
        Assert.Equal(1.0, p.Branches.Single(b => b.Name == "audio").Weight, 6);
    }
}
