using Aver.Data.Pipelines;
using Aver.Features.Augmentation;
using Aver.Models.AudioCnn;
using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Training.Data;

namespace Aver.Training.Tasks;

/// <summary>
/// The compact log-mel CNN trained with cross-entropy on a fold: crops [N, K, 1, mels, frames] are
/// band-standardised with the fold's training statistics (<see cref="LogMelFrontEnd"/>), and the scores
/// are the mean logits of each clip's crops (<see cref="AudioCnnNetwork.ForwardCrops"/>); at evaluation
/// the loss is that of the averaged logits, as the peer's. Training batches may then be masked
/// (<see cref="SpecAugment"/>) and mixed (<see cref="Mixup"/>, loss λ CE(y) + (1 − λ) CE(y[perm])), in the
/// tuned peer's order, from the clips' own streams, so a resumed run draws the same.
/// </summary>
public sealed class LogMelCnnTask(AudioCnnNetwork network, LogMelFrontEnd frontEnd, SpecAugment? specAugment = null, double mixupAlpha = 0)
    : ITrainingTask<LogMelBatch>
{
    public Module Model => Network;
    public AudioCnnNetwork Network { get; } = network;

    /// <summary>The front end with the fold's band statistics (saved in the fold's model spec).</summary>
    public LogMelFrontEnd FrontEnd { get; } = frontEnd;

    public StepOutput Step(LogMelBatch input, int[] targets)
    {
        var x = FrontEnd.Normalized(input.Crops);
        if (input.Augment is not { } streams) return Loss(Network.ForwardCrops(x), targets);
        int n = x.Dim(0), mels = x.Dim(x.Rank - 2), frames = x.Dim(x.Rank - 1), clip = x.Size / n;
        if (specAugment is { Masks: > 0 })
            for (int i = 0; i < n; i++)
            {
                var rng = streams[i].Fork("spec-augment");
                for (int c = 0; c < clip; c += mels * frames) specAugment.Apply(x.Data.AsSpan(i * clip + c, mels * frames), mels, frames, rng);
            }
        if (!(mixupAlpha > 0)) return Loss(Network.ForwardCrops(x), targets);

        double lambda = Mixup.Lambda(mixupAlpha, streams[0].Fork("mixup"));
        var keys = new double[n];
        for (int i = 0; i < n; i++) keys[i] = streams[i].Fork("mixup-partner").NextDouble();
        var partner = Enumerable.Range(0, n).ToArray();
        Array.Sort(keys, partner);                                   // a random permutation of the batch
        var source = (float[])x.Data.Clone();
        for (int i = 0; i < n; i++)
        {
            var dst = x.Data.AsSpan(i * clip, clip);
            System.Numerics.Tensors.TensorPrimitives.Multiply(source.AsSpan(i * clip, clip), (float)lambda, dst);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(source.AsSpan(partner[i] * clip, clip), (float)(1 - lambda), dst, dst);
        }
        var scores = Network.ForwardCrops(x);
        var partnerTargets = Array.ConvertAll(partner, p => targets[p]);
        var loss = Losses.CrossEntropy(scores, targets).Mul((float)lambda).Add(Losses.CrossEntropy(scores, partnerTargets).Mul((float)(1 - lambda)));
        return new StepOutput(loss, scores);
    }

    private static StepOutput Loss(Tensor scores, int[] targets) => new(Losses.CrossEntropy(scores, targets), scores);

    public Tensor? Features(LogMelBatch input) => Network.FeaturesOfCrops(FrontEnd.Normalized(input.Crops));
}
