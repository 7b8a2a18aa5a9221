using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Training.Tasks;

/// <summary>
/// A module mapping a tensor batch to class scores [N, classes], trained with cross-entropy
/// (optionally class-weighted or label-smoothed). Fits image CNNs, FER2013 pre-training, AVEF heads.
/// </summary>
public sealed class ClassifierTask(Module model, Tensor? classWeights = null, float labelSmoothing = 0f, Func<Tensor, Tensor>? features = null)
    : ITrainingTask<Tensor>
{
    public Module Model { get; } = model;

    public StepOutput Step(Tensor input, int[] targets)
    {
        var scores = Model.Forward(input);
        return new StepOutput(Losses.CrossEntropy(scores, targets, classWeights, labelSmoothing), scores);
    }

    public Tensor? Features(Tensor input) => features?.Invoke(input);
}
