using Aver.Features;
using Aver.Data.Labels;
using Aver.Inference.Branches;
using Aver.Inference.Fusion;

namespace Aver.Inference.Tests.Fusion;

public class DecisionFusionTests
{
    private static ClassProbabilities P(LabelSpace s, params float[] v) => new(s, v);

    [Fact]
    public void Average_weights_each_branch_and_renormalises_over_those_present()
    {
        var s = new LabelSpace("abc", ["a", "b", "c"]);
        var fused = DecisionFusion.Average(s, [(P(s, 1, 0, 0), 3), (P(s, 0, 1, 0), 1)])!;
        Assert.Equal([0.75f, 0.25f, 0f], fused.Values);
        Assert.Equal("a", fused.Top.Name);
        var alone = DecisionFusion.Average(s, [(P(s, 0.2f, 0.3f, 0.5f), 0.4)])!;
        Assert.Equal([0.2f, 0.3f, 0.5f], alone.Values);
        Assert.Null(DecisionFusion.Average(s, []));
        Assert.Null(DecisionFusion.Average(s, [(P(s, 1, 0, 0), 0)]));
    }

    [Fact]
    public void Average_refuses_probabilities_of_another_space()
    {
        var s = new LabelSpace("abc", ["a", "b", "c"]);
        var t = new LabelSpace("xyz", ["x", "y", "z"]);
        Assert.Throws<ArgumentException>(() => DecisionFusion.Average(s, [(P(t, 1, 0, 0), 1)]));
    }

    [Fact]
    public void Map_carries_mass_into_the_target_space_dropping_unmapped_classes()
    {
        // ravdess8 -> fer7: calm has no counterpart; its mass is dropped and the rest renormalised.
        var v = new float[8];
        v[LabelSpaces.Ravdess8["calm"].Index] = 0.5f;
        v[LabelSpaces.Ravdess8["happy"].Index] = 0.25f;
        v[LabelSpaces.Ravdess8["surprised"].Index] = 0.25f;
        var mapped = DecisionFusion.Map(P(LabelSpaces.Ravdess8, v), LabelMaps.RavdessToFer7);
        Assert.Equal(LabelSpaces.Fer7, mapped.Space);
        Assert.Equal(0.5f, mapped.Values[LabelSpaces.Fer7["happy"].Index], 6);
        Assert.Equal(0.5f, mapped.Values[LabelSpaces.Fer7["surprise"].Index], 6);
        Assert.Equal(1f, mapped.Values.Sum(), 5);
    }

    [Fact]
    public void Timeline_windows_cover_the_clip_and_end_at_its_end()
    {
        var w = TimeWindows.Of(3.2, 1, 0.5);
        Assert.Equal([0, 0.5, 1, 1.5, 2, 2.2], w.Select(x => Math.Round(x.Start, 6)).ToArray());
        Assert.All(w, x => Assert.Equal(1, x.End - x.Start, 6));
        Assert.Equal(3.2, w[^1].End, 6);
        Assert.Equal([new TimeInterval(0, 0.6)], TimeWindows.Of(0.6, 1, 0.5));
        Assert.Empty(TimeWindows.Of(0, 1, 0.5));
        Assert.Equal(3, TimeWindows.Of(2, 1, 0.5).Length);
    }
}
