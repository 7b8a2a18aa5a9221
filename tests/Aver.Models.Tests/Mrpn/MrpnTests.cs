using Aver.Models.Mrpn;
using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Tensors.Optim;

namespace Aver.Models.Tests.Mrpn;

/// <summary>The MRPN networks against their equations (MRPN §4.1, eqs. 1-9).</summary>
public class MrpnTests
{
    private const int Classes = 4;
    private static readonly ResNetConfig Tiny = new(InChannels: 1, Width: 4);

    private static MrpnNetwork Build(FusionVariant variant, AggregatorKind agg = AggregatorKind.Lstm, ulong seed = 1)
    {
        var rng = new RandomStream(seed);
        var visual = new ModalityBranch(Tiny, agg, 8, rng.Fork("v"));
        var audio = new ModalityBranch(Tiny, agg, 8, rng.Fork("a"));
        return new MrpnNetwork(visual, audio, variant, hiddenSize: 6, Classes, dropout: 0f, rng.Fork("f"));
    }

    private static AudioVisualBatch Batch(ulong seed = 2, int n = 3)
    {
        var r = new RandomStream(seed);
        return new AudioVisualBatch(Tensor.Normal(r, 0, 1, n, 3, 1, 24, 24), new[] { 3, 2, 1 }[..n],
                                    Tensor.Normal(r, 0, 1, n, 2, 1, 24, 32), new[] { 2, 1, 2 }[..n]);
    }

    private static readonly int[] Targets = [0, 3, 1];

    [Theory]
    [InlineData(FusionVariant.N0)] [InlineData(FusionVariant.N1)] [InlineData(FusionVariant.N2)]
    public void TrainingRunsSideBranchesOnlyForN1AndN2AndEvalOnlyTheCentralOne(FusionVariant v)
    {
        var net = Build(v);
        var s = net.Forward(Batch());
        Assert.Equal([3, Classes], s.Fused.Shape.ToArray());
        Assert.Equal(v != FusionVariant.N0, s.Visual is not null);
        Assert.Equal(v != FusionVariant.N0, s.Audio is not null);
        net.Eval();
        var e = net.Forward(Batch());
        Assert.Null(e.Visual);
        Assert.Null(e.Audio);
    }

    [Fact]
    public void MultiTermLossIsTheSumOfTheThreeCrossEntropies()
    {
        var s = Build(FusionVariant.N1).Forward(Batch());
        var total = MultiTermLoss.Compute(s, Targets).Item();
        float expected = Losses.CrossEntropy(s.Fused, Targets).Item() + Losses.CrossEntropy(s.Visual!, Targets).Item() + Losses.CrossEntropy(s.Audio!, Targets).Item();
        Assert.Equal(expected, total, 1e-5f);
    }

    [Fact]
    public void ResidualPerceptronEqualsItsFormula()
    {
        var rp = new ResidualPerceptron(5, new RandomStream(3));
        var f = Tensor.Normal(new RandomStream(4), 0, 1, 6, 5);
        var y = rp.Forward(f);
        // f' = f + BN(sigmoid(W f + b)), BN with batch statistics (biased variance), weight 1, bias 0.
        var z = new double[6, 5];
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 5; j++)
            {
                double a = rp.Dense.Bias![j];
                for (int k = 0; k < 5; k++) a += rp.Dense.Weight[j, k] * f[i, k];
                z[i, j] = 1 / (1 + Math.Exp(-a));
            }
        for (int j = 0; j < 5; j++)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < 6; i++) mean += z[i, j] / 6;
            for (int i = 0; i < 6; i++) variance += (z[i, j] - mean) * (z[i, j] - mean) / 6;
            for (int i = 0; i < 6; i++)
                Assert.Equal(f[i, j] + (z[i, j] - mean) / Math.Sqrt(variance + 1e-5), y[i, j], 1e-4);
        }
    }

    private static Dictionary<string, Tensor> Params(Module m) => m.NamedParameters().ToDictionary(kv => kv.Key, kv => kv.Value);

    [Fact]
    public void EndToEndGradientsReachBothExtractorsAndEveryTermOfN2()
    {
        var net = Build(FusionVariant.N2);
        MultiTermLoss.Compute(net.Forward(Batch()), Targets).Backward();
        var p = Params(net);
        foreach (var name in new[] { "visual.extractor.conv1.weight", "audio.extractor.conv1.weight", "visual.aggregator.lstm.weight_ih_l0",
                                     "fusion.score_v.weight", "fusion.score_a.weight", "fusion.rp_v.dense.weight", "fusion.rp_a.dense.weight",
                                     "fusion.fusion.scoring.dense2.weight" })
        {
            Assert.True(p[name].Grad is not null, $"{name} received no gradient");
            Assert.Contains(p[name].Grad!, g => g != 0f);
        }
    }

    [Fact]
    public void N0HasNoSideBranchParameters()
    {
        var names = Params(Build(FusionVariant.N0)).Keys;
        Assert.DoesNotContain(names, n => n.Contains("score_v") || n.Contains("rp_"));
        Assert.DoesNotContain(Params(Build(FusionVariant.N1)).Keys, n => n.Contains("rp_"));
    }

    [Fact]
    public void LateFusionLeavesTheBranchesUnchanged()
    {
        var net = Build(FusionVariant.N2);
        net.FreezeBranches();
        net.Train();
        var before = net.Visual.StateDict().Concat(net.Audio.StateDict()).Select(kv => (float[])kv.Value.Data.Clone()).ToList();
        var opt = new AdamW(net.Parameters().ToList(), learningRate: 1e-2f);
        for (int step = 0; step < 3; step++)
        {
            opt.ZeroGrad();
            MultiTermLoss.Compute(net.Forward(Batch((ulong)step)), Targets).Backward();
            opt.Step();
        }
        var after = net.Visual.StateDict().Concat(net.Audio.StateDict()).Select(kv => kv.Value.Data).ToList();
        for (int i = 0; i < before.Count; i++) Assert.Equal(before[i], after[i]);
        Assert.NotEqual(0f, Params(net)["fusion.rp_v.dense.weight"].Grad!.Max(Math.Abs));
    }

    [Theory]
    [InlineData(AggregatorKind.Lstm)] [InlineData(AggregatorKind.BiLstm)] [InlineData(AggregatorKind.Transformer)]
    public void PaddedStepsDoNotChangeTheResult(AggregatorKind agg)
    {
        var net = Build(FusionVariant.N2, agg);
        net.Eval();
        using var _ = GradMode.NoGrad();
        var a = Batch();
        var b = a with { Frames = a.Frames.Detach(), Segments = a.Segments.Detach() };
        // clip 2 has one valid frame and clip 1 one valid segment: scribble over the padding
        for (int i = 0; i < 2 * 24 * 24; i++) b.Frames.Data[2 * 3 * 24 * 24 + 24 * 24 + i] = 100f;
        for (int i = 0; i < 24 * 32; i++) b.Segments.Data[1 * 2 * 24 * 32 + 24 * 32 + i] = -50f;
        Fixture.AssertClose(net.Forward(a).Fused, net.Forward(b).Fused, "scores with scribbled padding", 1e-5f, 1e-5f);
    }

    [Fact]
    public void AggregatorOutputSizes()
    {
        Assert.Equal(8, new ModalityBranch(Tiny, AggregatorKind.Lstm, 8).OutputSize);
        Assert.Equal(16, new ModalityBranch(Tiny, AggregatorKind.BiLstm, 8).OutputSize);
        Assert.Equal(8, new ModalityBranch(Tiny, AggregatorKind.Transformer, 8).OutputSize);
    }
}
