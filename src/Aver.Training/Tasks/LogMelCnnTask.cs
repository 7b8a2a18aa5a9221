using Aver.Data.Pipelines;
using Aver.Models.AudioCnn;
using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Training.Tasks;

/// <summary>
/// The compact log-mel CNN trained with cross-entropy on a fold: crops [N, K, 1, mels, frames] are
/// band-standardised with the fold's training statistics (<see cref="LogMelFrontEnd"/>), and the scores
/// are the mean logits of each clip's crops (<see cref="AudioCnnNetwork.ForwardCrops"/>); at evaluation
/// the loss is that of the averaged logits, as the peer's.
/// </summary>
public sealed class LogMelCnnTask(AudioCnnNetwork network, LogMelFrontEnd frontEnd) : ITrainingTask<Tensor>
{
    public Module Model => Network;
    public AudioCnnNetwork Network { get; } = network;

    /// <summary>The front end with the fold's band statistics (saved in the fold's model spec).</summary>
    public LogMelFrontEnd FrontEnd { get; } = frontEnd;

    public StepOutput Step(Tensor input, int[] targets)
    {
        var scores = Network.ForwardCrops(FrontEnd.Normalized(input));
        return new StepOutput(Losses.CrossEntropy(scores, targets), scores);
    }

    public Tensor? Features(Tensor input) => Network.FeaturesOfCrops(FrontEnd.Normalized(input));
}
