using Aver.Training.Tests.Reports;
using Aver.Training.Embedding;

namespace Aver.Training.Tests.Embedding;

public sealed class TsneTests
{
    [Fact]
    public void SeparatedClustersStaySeparatedAndTheResultIsDeterministic()
    {
        var (x, classes) = ReportTests.Clusters(perClass: 25, classes: 4, d: 10, seed: 5);
        var options = new TsneOptions { Iterations = 400, Perplexity = 15, Seed = 3 };
        var y = Tsne.Embed(x, options);

        // Nearest neighbour in the plane has the same class for (nearly) every point.
        int n = classes.Length, agree = 0;
        for (int i = 0; i < n; i++)
        {
            int best = -1;
            double bestD = double.MaxValue;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double d = Math.Pow(y[i, 0] - y[j, 0], 2) + Math.Pow(y[i, 1] - y[j, 1], 2);
                if (d < bestD) (bestD, best) = (d, j);
            }
            if (classes[best] == classes[i]) agree++;
        }
        Assert.True(agree >= 0.95 * n, $"{agree}/{n} nearest neighbours share the class");

        var again = Tsne.Embed(x, options);
        Assert.Equal(y, again);
        var other = Tsne.Embed(x, options with { Seed = 4 });
        Assert.NotEqual(y[0, 0], other[0, 0]);
    }

    [Fact]
    public void AffinitiesAreSymmetricAndSumToOne()
    {
        var (x, _) = ReportTests.Clusters(perClass: 10, classes: 3, d: 4, seed: 1);
        var p = Tsne.Affinities(Tsne.SquaredDistances(x), 5);
        int n = 30;
        double sum = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (i != j) sum += p[i * n + j];
                Assert.Equal(p[i * n + j], p[j * n + i], 15);
            }
        Assert.Equal(1.0, sum, 6);
    }
}
