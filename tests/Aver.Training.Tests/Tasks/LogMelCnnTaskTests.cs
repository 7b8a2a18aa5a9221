using Aver.Data.Pipelines;
using Aver.Features.Augmentation;
using Aver.Features.LogMel;
using Aver.Models.AudioCnn;
using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Training.Data;
using Aver.Training.Tasks;

namespace Aver.Training.Tests.Tasks;

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

/// <summary>Speed perturbation in the clip set: training clips are played at drawn speeds, evaluation clips never.</summary>
public sealed class LogMelClipSetSpeedTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-speed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary><paramref name="count"/> clips of 0.5 s at 16 kHz written as WAV files, labelled alternately.</summary>
    private List<Aver.Data.Catalogs.CatalogItem> Clips(string prefix, int count, Func<int, float[]> samples)
    {
        var labels = Aver.Data.Labels.LabelSpaces.Ravdess8;
        var items = new List<Aver.Data.Catalogs.CatalogItem>();
        for (int k = 0; k < count; k++)
        {
            string path = Path.Combine(_dir, $"{prefix}{k}.wav");
            Aver.Media.Wav.Write(path, new Aver.Media.AudioBuffer(samples(k), 16000));
            items.Add(new(path, Aver.Data.Catalogs.Modality.Audio, labels[k % 2], "01", null, $"{prefix}{k}", new Dictionary<string, string>()));
        }
        return items;
    }

    private static readonly LogMelOptions Small = new() { Mels = 16, ClipSeconds = 0.45, CropSeconds = 0.4 };

    /// <summary>All clips of <paramref name="set"/> as one batch's crops: training crops with <paramref name="augment"/>, else evaluation crops.</summary>
    private static float[] Crops(LogMelClipSet set, RandomStream? augment) =>
        set.Batches(Enumerable.Range(0, set.Count).ToArray(), set.Count, augment: augment).Single().Input.Crops.Data;

    /// <summary>How many of the <paramref name="clips"/> clips' crops differ between <paramref name="a"/> and <paramref name="b"/>.</summary>
    private static int Changed(float[] a, float[] b, int clips)
    {
        int clip = a.Length / clips, changed = 0;
        for (int i = 0; i < clips; i++) if (!a.AsSpan(i * clip, clip).SequenceEqual(b.AsSpan(i * clip, clip))) changed++;
        return changed;
    }

    [Fact]
    public void TrainingCropsComeFromSpedUpOrSlowedClipsAndEvaluationCropsAreUnchanged()
    {
        var items = Clips("s", 6, k =>
        {
            var x = new float[8000];
            new RandomStream((ulong)k).FillNormal(x, 0, 0.1f);
            for (int i = 0; i < x.Length; i++) x[i] += (float)(0.4 * Math.Sin(2 * Math.PI * (200 + 50 * k) * i / 16000));
            return x;
        });
        var labels = Aver.Data.Labels.LabelSpaces.Ravdess8;
        var plain = new LogMelClipSet(items, labels, new LogMelPipeline(Small));
        var sped = new LogMelClipSet(items, labels, new LogMelPipeline(Small), new SpeedPerturbation([0.9, 1.1]));
        sped.Prepare();

        Assert.Equal(Crops(plain, null), Crops(sped, null));
        var a = Crops(sped, new RandomStream(3));
        Assert.Equal(a, Crops(sped, new RandomStream(3)));                       // the same streams draw the same speeds
        Assert.InRange(Changed(a, Crops(plain, new RandomStream(3)), 6), 1, 5);   // 6 clips at 1 speed in 3: some kept their own speed, some did not (seed 3)
    }

    [Fact]
    public void A_noise_floor_changes_some_training_crops_afresh_each_draw_and_never_an_evaluation_crop()
    {
        var items = Clips("n", 8, k =>
        {
            var x = new float[8000];
            for (int i = 2000; i < 6000; i++) x[i] = (float)(0.4 * Math.Sin(2 * Math.PI * (200 + 50 * k) * i / 16000));   // silence around a tone
            return x;
        });
        var labels = Aver.Data.Labels.LabelSpaces.Ravdess8;
        var plain = new LogMelClipSet(items, labels, new LogMelPipeline(Small));
        var noisy = new LogMelClipSet(items, labels, new LogMelPipeline(Small), noise: new NoiseFloor(20, 40, 0.5));
        noisy.Prepare();

        Assert.Equal(Crops(plain, null), Crops(noisy, null));
        var a = Crops(noisy, new RandomStream(5));
        Assert.Equal(a, Crops(noisy, new RandomStream(5)));                      // the same streams draw the same floors
        Assert.InRange(Changed(a, Crops(plain, new RandomStream(5)), 8), 1, 7);  // about half the draws get a floor (seed 5: some, not all)
        Assert.NotEqual(a, Crops(noisy, new RandomStream(6)));                   // another draw, other floors
    }
}
