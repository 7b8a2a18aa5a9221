using Aver.Data.Labels;
using Aver.Data.Metrics;

namespace Aver.Data.Tests.Metrics;

public sealed class MetricsTests
{
    private static readonly LabelSpace Three = new("three", ["neutral", "happy", "sad"]);

    /// <summary>Rows (truth): neutral [3 1 0], happy [0 2 2], sad [1 0 1].</summary>
    internal static ConfusionMatrix Known()
    {
        int[] truth = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2];
        int[] pred = [0, 0, 0, 1, 1, 1, 2, 2, 0, 2];
        return ConfusionMatrix.From(Three, truth, pred);
    }

    [Fact]
    public void AccuracyUarAndPerClassMetricsOfAKnownConfusion()
    {
        var m = Known();
        Assert.Equal(3, m[0, 0]);
        Assert.Equal(2, m[1, 2]);
        Assert.Equal(10, m.Total);
        Assert.Equal(0.6, m.Accuracy, 12);
        Assert.Equal((0.75 + 0.5 + 0.5) / 3, m.UnweightedAverageRecall, 12);
        Assert.Equal(0.75, m.Precision(0), 12);
        Assert.Equal(2.0 / 3, m.Precision(1), 12);
        Assert.Equal(1.0 / 3, m.Precision(2), 12);
        Assert.Equal(0.75, m.F1(0), 12);
        Assert.Equal(4.0 / 7, m.F1(1), 12);
        Assert.Equal(0.4, m.F1(2), 12);
        var rows = ClassMetrics.Of(m);
        Assert.Equal("sad", rows[2].Class);
        Assert.Equal(2, rows[2].Support);
    }

    [Fact]
    public void UarLeavesOutClassesWithoutExamplesAndSumAddsFolds()
    {
        var m = ConfusionMatrix.From(Three, [0, 0, 1], [0, 1, 1]);
        Assert.Equal((0.5 + 1.0) / 2, m.UnweightedAverageRecall, 12);
        Assert.True(double.IsNaN(m.Recall(2)));
        var total = ConfusionMatrix.Sum([m, Known()]);
        Assert.Equal(13, total.Total);
        Assert.Equal(4, total[0, 0]);
    }

    [Fact]
    public void AddingAPairOutsideTheSpaceNamesIt()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(Three).Add(0, 3));
        Assert.Contains("three", e.Message);
    }

    [Fact]
    public void AggregateOverFoldsGivesMeanAndSampleStd()
    {
        var a = Aggregate.Of([0.5, 0.7, 0.6, double.NaN]);
        Assert.Equal(0.6, a.Mean, 12);
        Assert.Equal(0.1, a.Std, 12);
        Assert.Equal(3, a.Count);
        Assert.Equal(0, Aggregate.Of([0.4]).Std);
    }
}
