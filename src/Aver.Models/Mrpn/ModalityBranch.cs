using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Mrpn;

/// <summary>
/// One modality's path to its temporal feature vector, f_m = A_m(F_m(x_m)) (MRPN eq. 1): a ResNet-18
/// extractor F_m applied to every step (face frame or spectrogram segment) and an aggregator A_m.
/// </summary>
public sealed class ModalityBranch : Module
{
    public ResNet18 Extractor { get; }
    public SequenceAggregator Aggregator { get; }

    public ModalityBranch(ResNetConfig extractor, AggregatorKind aggregator, int hiddenSize, RandomStream? rng = null)
    {
        Extractor = RegisterModule("extractor", new ResNet18(extractor with { Classes = 0 }, rng));
        Aggregator = RegisterModule("aggregator", SequenceAggregator.Create(aggregator, extractor.FeatureSize, hiddenSize, rng: rng));
    }

    public int OutputSize => Aggregator.OutputSize;

    /// <summary>
    /// Per-step features [N, T, D] of steps [N, T, C, H, W]. Only valid steps go through the CNN
    /// (padding would otherwise skew its batch statistics); padded steps get zero features.
    /// </summary>
    public Tensor StepFeatures(Tensor steps, int[]? lengths)
    {
        if (steps.Rank != 5)
            throw new ShapeException($"ModalityBranch: expects steps [N, T, C, H, W], got {ShapeMath.Format(steps.Shape)}");
        int n = steps.Dim(0), t = steps.Dim(1);
        var images = steps.Reshape(n * t, steps.Dim(2), steps.Dim(3), steps.Dim(4));
        if (lengths is null) return Extractor.Features(images).Reshape(n, t, -1);
        if (lengths.Length != n) throw new ShapeException($"ModalityBranch: {lengths.Length} lengths for a batch of {n}");

        int valid = 0;
        foreach (int l in lengths)
        {
            if (l < 1 || l > t) throw new ArgumentOutOfRangeException(nameof(lengths), $"length {l} outside [1, {t}]");
            valid += l;
        }
        var packedIndex = new int[valid];
        var unpackIndex = new int[n * t];
        int k = 0;
        for (int i = 0; i < n; i++)
            for (int s = 0; s < t; s++)
                if (s < lengths[i]) { unpackIndex[i * t + s] = k; packedIndex[k++] = i * t + s; }
                else unpackIndex[i * t + s] = valid; // the zero row appended below
        var features = Extractor.Features(images.IndexSelect(0, packedIndex)); // [valid, D]
        var withZero = Tensor.Concat([features, new Tensor(1, features.Dim(1))], 0);
        return withZero.IndexSelect(0, unpackIndex).Reshape(n, t, -1);
    }

    /// <summary>f_m [N, OutputSize] of steps [N, T, C, H, W].</summary>
    public Tensor Forward(Tensor steps, int[]? lengths) => Aggregator.Aggregate(StepFeatures(steps, lengths), lengths);

    public override Tensor Forward(Tensor steps) => Forward(steps, null);
}
