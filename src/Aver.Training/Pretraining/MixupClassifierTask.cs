using Aver.Features.Augmentation;
using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Training.Tasks;

namespace Aver.Training.Pretraining;

/// <summary>
/// A classifier trained with mixup (Zhang et al. 2018, "mixup: Beyond Empirical Risk Minimization", eq. 1 and
/// Fig. 1a): per training batch one λ ~ Beta(α, α) and a random pairing of the batch with itself;
/// x̃ = λ x_i + (1 − λ) x_j, ỹ = λ y_i + (1 − λ) y_j, cross-entropy against ỹ (label-smoothed when asked).
/// In evaluation mode it is a plain cross-entropy classifier. The draws come from the stream the trainer
/// hands it per epoch (<see cref="IRandomTrainingTask"/>).
/// </summary>
public sealed class MixupClassifierTask(Module model, double alpha, float labelSmoothing = 0f) : ITrainingTask<Tensor>, IRandomTrainingTask
{
    private RandomStream _rng = new(0);

    public Module Model { get; } = model;

    public void BeginEpoch(RandomStream stream) => _rng = stream;

    public StepOutput Step(Tensor input, int[] targets)
    {
        if (!Model.Training || alpha <= 0)
        {
            var plain = Model.Forward(input);
            return new StepOutput(Losses.CrossEntropy(plain, targets, labelSmoothing: labelSmoothing), plain);
        }
        int n = input.Dim(0), size = input.Size / n;
        float lambda = (float)Mixup.Lambda(alpha, _rng);
        var partner = new int[n];
        for (int i = 0; i < n; i++) partner[i] = i;
        _rng.Shuffle<int>(partner);
        var mixed = new Tensor(input.Shape.ToArray());
        var src = input.Data;
        for (int i = 0; i < n; i++)
        {
            var dst = mixed.Data.AsSpan(i * size, size);
            // x̃ = λ x_i + (1 − λ) x_j
            System.Numerics.Tensors.TensorPrimitives.Multiply(src.AsSpan(partner[i] * size, size), 1 - lambda, dst);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(src.AsSpan(i * size, size), lambda, dst, dst);
        }
        var scores = Model.Forward(mixed);
        int classes = scores.Dim(1);
        var soft = new Tensor(n, classes);
        for (int i = 0; i < n; i++)
        {
            soft.Data[i * classes + targets[i]] += lambda;
            soft.Data[i * classes + targets[partner[i]]] += 1 - lambda;
        }
        return new StepOutput(Losses.CrossEntropyProbabilities(scores, soft, labelSmoothing: labelSmoothing), scores);
    }
}
