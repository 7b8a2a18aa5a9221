using Aver.Models.Mrpn;
using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Training.Data;
using Aver.Training.Tasks;
using Aver.Training.Training;

namespace Aver.Training.Tests.Tasks;

/// <summary>The MRPN networks through the generic trainer: multi-term loss, late fusion, features.</summary>
public sealed class MrpnTrainingTests
{
    private static readonly ResNetConfig Tiny = new(InChannels: 1, Width: 4);

    private static MrpnNetwork Network(FusionVariant variant, ulong seed)
    {
        var rng = new RandomStream(seed);
        return new MrpnNetwork(new ModalityBranch(Tiny, AggregatorKind.Lstm, 8, rng.Fork("v")),
            new ModalityBranch(Tiny, AggregatorKind.Lstm, 8, rng.Fork("a")), variant, hiddenSize: 6, classes: 4, dropout: 0.2f, rng.Fork("f"));
    }

    /// <summary>Clips of 2 frames and 2 segments whose class shows as a brighter quadrant in both modalities.</summary>
    internal static DelegateExampleSet<AudioVisualBatch> Clips(int n)
    {
        var quadrants = GeneratedTasks.BrightSquares(n * 2, seed: 9);
        var classes = Enumerable.Range(0, n).Select(i => (i * 2) % 4).ToArray();
        return new DelegateExampleSet<AudioVisualBatch>(GeneratedTasks.Quadrants, classes, (idx, _) =>
        {
            // Example i uses images 2i and 2i + 2 (same quadrant class, since classes cycle by 4).
            var frames = quadrants.Inputs.IndexSelect(0, idx.SelectMany(i => new[] { 2 * i % (2 * n), (2 * i + 4) % (2 * n) }).ToArray());
            var f = frames.Reshape(idx.Length, 2, 1, 12, 12);
            return new AudioVisualBatch(f, null, f, [.. idx.Select(_ => 2)]);
        });
    }

    [Theory]
    [InlineData(FusionVariant.N0)]
    [InlineData(FusionVariant.N2)]
    public void EndToEndTrainingUpdatesBranchesAndFusion(FusionVariant variant)
    {
        var set = Clips(16);
        var task = new MrpnTask(Network(variant, 1));
        var before = Checkpoint.Snapshot(task.Model);
        var result = new Trainer<AudioVisualBatch>(task, new TrainerOptions { Epochs = 2, BatchSize = 8, LearningRate = 1e-3, Threads = 1 })
            .Fit(ExampleSubset<AudioVisualBatch>.All(set), ExampleSubset<AudioVisualBatch>.All(set));
        Assert.Equal(2, result.History.Count);
        Assert.NotEqual(before["visual.extractor.conv1.weight"].Data, task.Model.StateDict().First(kv => kv.Key == "visual.extractor.conv1.weight").Value.Data);
        Assert.NotEqual(before["fusion.fusion.scoring.dense1.weight"].Data, Find(task, "fusion.fusion.scoring.dense1.weight"));
        var eval = Evaluation.Run(task, set, Enumerable.Range(0, 16).ToArray(), 8, withFeatures: true);
        Assert.Equal(16, eval.Features!.GetLength(0));
        Assert.Equal(16, eval.Features.GetLength(1)); // g_va = [f'_v, f'_a], 8 + 8
    }

    [Fact]
    public void LateFusionLeavesTheFrozenBranchesExactlyAsTheyWere()
    {
        var set = Clips(16);
        var network = Network(FusionVariant.N1, 2);
        network.FreezeBranches();
        var task = new MrpnTask(network);
        var before = Checkpoint.Snapshot(network);
        new Trainer<AudioVisualBatch>(task, new TrainerOptions { Epochs = 2, BatchSize = 8, LearningRate = 1e-2, Threads = 1 })
            .Fit(ExampleSubset<AudioVisualBatch>.All(set));
        foreach (var (name, t) in network.StateDict())
        {
            bool branch = name.StartsWith("visual.") || name.StartsWith("audio.");
            bool same = t.Data.AsSpan().SequenceEqual(before[name].Data);
            if (branch) Assert.True(same, $"{name} changed although the branches are frozen");
        }
        Assert.Contains(network.StateDict(), kv => kv.Key.StartsWith("fusion.") && !kv.Value.Data.AsSpan().SequenceEqual(before[kv.Key].Data));
    }

    private static float[] Find(ITrainingTask<AudioVisualBatch> task, string name) => task.Model.StateDict().First(kv => kv.Key == name).Value.Data;
}
