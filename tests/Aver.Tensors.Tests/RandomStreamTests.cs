namespace Aver.Tensors.Tests;

public class RandomStreamTests
{
    [Fact]
    public void SameSeedSameSequence()
    {
        var a = new RandomStream(42); var b = new RandomStream(42);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextULong(), b.NextULong());
    }

    [Fact]
    public void ForkedStreamsDoNotDependOnDrawsFromTheParent()
    {
        var a = new RandomStream(7); var b = new RandomStream(7);
        for (int i = 0; i < 10; i++) b.NextULong();
        Assert.Equal(a.Fork("dropout").NextULong(), b.Fork("dropout").NextULong());
        Assert.NotEqual(a.Fork("dropout").NextULong(), a.Fork("shuffle").NextULong());
    }

    [Fact]
    public void NormalHasUnitVariance()
    {
        var r = new RandomStream(3);
        var x = new float[100_000];
        r.FillNormal(x, 0, 1);
        double m = x.Average(), v = x.Select(v => (v - m) * (v - m)).Average();
        Assert.InRange(m, -0.02, 0.02);
        Assert.InRange(v, 0.97, 1.03);
    }
}
