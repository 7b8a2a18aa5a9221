using Aver.Models.Avef;
using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Tensors.Optim;

namespace Aver.Models.Tests.Avef;

/// <summary>RBMs and the DBN of AVEF's segment fusion (§2.2.3): CD training learns structure, pre-training initialises the network.</summary>
public class RbmTests
{
    // A mixture of binary prototypes with 5% flipped bits: [n, bits].
    internal static Tensor BinaryPrototypes(int n, int bits, int prototypes, ulong seed)
    {
        var rng = new RandomStream(seed);
        var protos = new float[prototypes, bits];
        for (int p = 0; p < prototypes; p++)
            for (int j = 0; j < bits; j++) protos[p, j] = rng.NextFloat() < 0.5f ? 1f : 0f;
        var x = new Tensor(n, bits);
        for (int i = 0; i < n; i++)
        {
            int p = rng.NextInt(prototypes);
            for (int j = 0; j < bits; j++)
                x.Data[i * bits + j] = rng.NextFloat() < 0.05f ? 1f - protos[p, j] : protos[p, j];
        }
        return x;
    }

    // Standardised-scale Gaussian clusters: centres N(0, 1.5²) in d dimensions, spread 0.3; returns data and cluster ids.
    internal static (Tensor X, int[] Cluster) GaussianClusters(int n, int d, int clusters, ulong seed)
    {
        var rng = new RandomStream(seed);
        var centres = new float[clusters * d];
        rng.FillNormal(centres, 0f, 1.5f);
        var x = new Tensor(n, d);
        var id = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = id[i] = i % clusters;
            for (int j = 0; j < d; j++) x.Data[i * d + j] = centres[c * d + j] + 0.3f * (float)rng.NextNormal();
        }
        return (x, id);
    }

    [Fact]
    public void BernoulliRbmLowersReconstructionErrorAndFreeEnergyOfTheData()
    {
        var data = BinaryPrototypes(400, 32, 4, seed: 1);
        var rbm = new Rbm(32, 16, RbmVisible.Bernoulli, new RandomStream(2));
        float before = rbm.ReconstructionError(data);
        var epochs = rbm.Train(data, new RbmTraining(Epochs: 20, BatchSize: 20, LearningRate: 0.1), new RandomStream(3));
        float after = rbm.ReconstructionError(data);
        Assert.Equal(20, epochs.Count);
        Assert.InRange(before, 0.2f, 0.3f); // W ≈ 0: every bit reconstructed as 0.5
        Assert.True(after < 0.06f, $"reconstruction error {before} -> {after}");
        Assert.True(epochs[^1] < epochs[0], $"CD error per epoch {string.Join(", ", epochs)}");
        // The model now prefers the data: lower free energy than uniformly random bit vectors.
        var noise = BinaryPrototypes(400, 32, 400, seed: 99);
        Assert.True(rbm.FreeEnergy(data) < rbm.FreeEnergy(noise) - 5, $"F(data) {rbm.FreeEnergy(data)}, F(noise) {rbm.FreeEnergy(noise)}");
    }

    [Fact]
    public void GaussianBernoulliRbmLowersReconstructionErrorOnRealValuedClusters()
    {
        var (data, _) = GaussianClusters(300, 20, 5, seed: 4);
        var rbm = new Rbm(20, 24, RbmVisible.Gaussian, new RandomStream(5));
        float before = rbm.ReconstructionError(data);
        rbm.Train(data, new RbmTraining(Epochs: 30, BatchSize: 20, LearningRate: 0.01), new RandomStream(6));
        float after = rbm.ReconstructionError(data);
        Assert.True(after < 0.4f * before, $"reconstruction error {before} -> {after}");
    }

    [Fact]
    public void CdKWithMoreGibbsStepsAlsoLearns()
    {
        var data = BinaryPrototypes(200, 24, 3, seed: 7);
        var rbm = new Rbm(24, 12, RbmVisible.Bernoulli, new RandomStream(8));
        float before = rbm.ReconstructionError(data);
        rbm.Train(data, new RbmTraining(Epochs: 15, BatchSize: 10, K: 3), new RandomStream(9));
        Assert.True(rbm.ReconstructionError(data) < 0.5f * before);
    }

    [Fact]
    public void TrainingIsAFunctionOfTheSeed()
    {
        var data = BinaryPrototypes(100, 16, 2, seed: 10);
        float[] Run(ulong seed)
        {
            var rbm = new Rbm(16, 8, RbmVisible.Bernoulli, new RandomStream(11));
            rbm.Train(data, new RbmTraining(Epochs: 3), new RandomStream(seed));
            return rbm.Weight.Data;
        }
        Assert.Equal(Run(12), Run(12));
        Assert.NotEqual(Run(12), Run(13));
    }

    [Fact]
    public void FreeEnergyMatchesItsFormula()
    {
        var rng = new RandomStream(14);
        foreach (var kind in new[] { RbmVisible.Bernoulli, RbmVisible.Gaussian })
        {
            var rbm = new Rbm(3, 2, kind, rng);
            rng.FillNormal(rbm.Weight.Data, 0, 1);
            rng.FillNormal(rbm.VisibleBias.Data, 0, 1);
            rng.FillNormal(rbm.HiddenBias.Data, 0, 1);
            var v = new Tensor([0.5f, -1f, 2f], 1, 3);
            double f = kind == RbmVisible.Bernoulli
                ? -(0.5 * rbm.VisibleBias[0] - rbm.VisibleBias[1] + 2 * rbm.VisibleBias[2])
                : 0.5 * (Math.Pow(0.5 - rbm.VisibleBias[0], 2) + Math.Pow(-1 - rbm.VisibleBias[1], 2) + Math.Pow(2 - rbm.VisibleBias[2], 2));
            for (int j = 0; j < 2; j++)
            {
                double a = rbm.HiddenBias[j] + 0.5 * rbm.Weight[j, 0] - rbm.Weight[j, 1] + 2 * rbm.Weight[j, 2];
                f -= Math.Log(1 + Math.Exp(a));
            }
            Assert.Equal(f, rbm.FreeEnergy(v), 1e-4);
        }
    }

    [Fact]
    public void BadInputsAreNamed()
    {
        var rbm = new Rbm(4, 2, RbmVisible.Bernoulli, new RandomStream(1));
        var e = Assert.Throws<ShapeException>(() => rbm.ReconstructionError(new Tensor(3, 5)));
        Assert.Contains("Rbm", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => rbm.Train(new Tensor(3, 4), new RbmTraining(K: 0), new RandomStream(1)));
    }

    [Fact]
    public void DbnPretrainingIsGreedyLayerwiseAndThenFineTunes()
    {
        // Real-valued inputs with an offset and scale, like ReLU fc7 features, in 4 clusters.
        var (x, cluster) = GaussianClusters(240, 24, 4, seed: 20);
        for (int i = 0; i < x.Size; i++) x.Data[i] = 3f + 2f * x.Data[i];
        var dbn = new DeepBeliefNetwork(new DbnConfig(24, [16, 8], 4), new RandomStream(21));
        var initial = dbn.Hidden[1].Weight.Data.ToArray();
        var report = dbn.Pretrain(x, new RandomStream(22), new RbmTraining(Epochs: 20, BatchSize: 20), new RbmTraining(Epochs: 20, BatchSize: 20, LearningRate: 0.01));

        Assert.Equal(2, report.EpochErrors.Count);
        for (int l = 0; l < 2; l++)
            Assert.True(report.After[l] < 0.6f * report.Before[l], $"layer {l}: reconstruction error {report.Before[l]} -> {report.After[l]}");
        Assert.NotEqual(initial, dbn.Hidden[1].Weight.Data);

        // The visible layer is standardised from the data (zero mean, unit variance per input).
        using (GradMode.NoGrad())
        {
            var z = dbn.Standardise(x);
            Assert.Equal(0f, z.Mean(0).Data.Max(MathF.Abs), 1e-3f);
            Assert.Equal(1f, (z * z).Mean(0).Data.Average(), 1e-3f);
        }

        // Supervised fine-tuning through autograd (the output layer starts untrained).
        var opt = new AdamW(dbn.Parameters(), learningRate: 0.03);
        float first = 0, last = 0;
        for (int step = 0; step < 100; step++)
        {
            opt.ZeroGrad();
            var loss = Losses.CrossEntropy(dbn.Forward(x), cluster);
            if (step == 0) first = loss.Item();
            last = loss.Item();
            loss.Backward();
            opt.Step();
        }
        Assert.True(last < 0.1f * first, $"fine-tuning loss {first} -> {last}");
        using (GradMode.NoGrad())
        {
            var (scores, features) = dbn.ForwardWithFeatures(x);
            Assert.Equal([240, 8], features.Shape.ToArray());
            Assert.All(features.Data, v => Assert.InRange(v, 0f, 1f)); // sigmoid units
            Assert.Equal([240, 4], scores.Shape.ToArray());
            int correct = 0;
            for (int i = 0; i < 240; i++)
            {
                int best = 0;
                for (int c = 1; c < 4; c++) if (scores[i, c] > scores[i, best]) best = c;
                if (best == cluster[i]) correct++;
            }
            Assert.Equal(240, correct);
        }
    }

    [Fact]
    public void PretrainedWeightsEqualTheRbmsThatTheSameStreamsTrain()
    {
        var (x, _) = GaussianClusters(60, 6, 2, seed: 30);
        var dbn = new DeepBeliefNetwork(new DbnConfig(6, [5], 2), new RandomStream(31));
        var rng = new RandomStream(32);
        var opts = new RbmTraining(Epochs: 2, BatchSize: 10);
        dbn.Pretrain(x, rng, gaussian: opts);
        Tensor z;
        using (GradMode.NoGrad()) z = dbn.Standardise(x).Detach();
        var rbm = new Rbm(6, 5, RbmVisible.Gaussian, rng.Fork("rbm-init", 0));
        rbm.Train(z, opts, rng.Fork("rbm-train", 0));
        Assert.Equal(rbm.Weight.Data, dbn.Hidden[0].Weight.Data);
        Assert.Equal(rbm.HiddenBias.Data, dbn.Hidden[0].Bias!.Data);
    }
}
