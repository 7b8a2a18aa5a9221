using Aver.Data.Pipelines;
using Aver.Features.Augmentation;
using Aver.Features.LogMel;
using Aver.Models.AudioCnn;
using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Training.Data;
using Aver.Training.Tasks;

namespace Aver.Training.Tests;

/// <summary>The compact CNN's task: the fold's standardisation, averaged crops at evaluation, SpecAugment and mixup from the clips' streams.</summary>
public sealed class LogMelCnnTaskTests
{
    private static readonly LogMelOptions Options = new() { Mels = 8, ClipSeconds = 0.2, CropSeconds = 0.15 };

    private static (LogMelCnnTask Plain, LogMelCnnTask Augmented, Tensor Crops) Setup()
    {
        var rng = new RandomStream(5);
        var crops = new Tensor(4, 1, 1, 8, Options.CropFrames);
        rng.FillNormal(crops.Data, 3, 2);
        var frontEnd = new LogMelFrontEnd(Options, Enumerable.Repeat(3f, 8).ToArray(), Enumerable.Repeat(2f, 8).ToArray());
        var net = new AudioCnnArchitecture([4, 4], 0f).Build(3, new RandomStream(1));
        net.Eval();   // no dropout or batch statistics: the same input gives the same loss
        return (new LogMelCnnTask(net, frontEnd), new LogMelCnnTask(net, frontEnd, new SpecAugment(2, 3, 4), mixupAlpha: 0.4), crops);
    }

    private static RandomStream[] Streams(ulong seed) => Enumerable.Range(0, 4).Select(i => new RandomStream(seed).Fork("clip", i)).ToArray();

    [Fact]
    public void EvaluationScoresTheStandardisedCropsAndTrainingAugmentsThemTheSameWayForTheSameStreams()
    {
        var (plain, augmented, crops) = Setup();
        int[] targets = [0, 1, 2, 1];
        using var _ = GradMode.NoGrad();
        var before = (float[])crops.Data.Clone();
        var eval = augmented.Step(new LogMelBatch(crops, null), targets);
        var expected = Losses.CrossEntropy(plain.Network.ForwardCrops(plain.FrontEnd.Normalized(crops)), targets);
        Assert.Equal(expected.Item(), eval.Loss.Item(), 6);
        Assert.Equal(eval.Loss.Item(), plain.Step(new LogMelBatch(crops, Streams(1)), targets).Loss.Item(), 6);   // nothing to augment

        double a = augmented.Step(new LogMelBatch(crops, Streams(1)), targets).Loss.Item();
        double b = augmented.Step(new LogMelBatch(crops, Streams(1)), targets).Loss.Item();
        double c = augmented.Step(new LogMelBatch(crops, Streams(2)), targets).Loss.Item();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(eval.Loss.Item(), a, 4);
        Assert.Equal(before, crops.Data);   // standardising, masking and mixing work on a copy of the batch
    }
}
