using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Training.Tasks;

/// <summary>What one forward pass gives the trainer: the loss to minimise and the central class scores [N, classes].</summary>
/// <param name="Loss">Scalar loss, with history in training mode.</param>
/// <param name="Scores">Class scores (logits) [N, classes] used for accuracy and confusion matrices.</param>
public sealed record StepOutput(Tensor Loss, Tensor Scores);

/// <summary>
/// How a model is trained on its batches: the forward pass, the loss (a plain cross-entropy, MRPN's
/// multi-term loss, ...) and the scores that count as its prediction. The trainer handles everything
/// else (modes, optimiser, schedule, checkpoints), so any network fits by writing one small task.
/// </summary>
/// <typeparam name="TInput">The batch input the model consumes.</typeparam>
public interface ITrainingTask<TInput>
{
    /// <summary>The module whose trainable parameters are optimised and whose state is checkpointed.</summary>
    Module Model { get; }

    /// <summary>
    /// Runs the model on <paramref name="input"/> in its current mode (the trainer sets Train/Eval) and
    /// returns the loss against <paramref name="targets"/> and the class scores.
    /// </summary>
    StepOutput Step(TInput input, int[] targets);

    /// <summary>The features an embedding plot shows, [N, D] (e.g. MRPN's g_va, Figure 4); null if the model has none.</summary>
    Tensor? Features(TInput input) => null;
}

/// <summary>
/// A task that draws random numbers while training (mixup's mixing weights and partners). The trainer gives it
/// a fresh stream derived from the seed and the epoch before each epoch, so a resumed run draws what an
/// uninterrupted one would.
/// </summary>
public interface IRandomTrainingTask
{
    /// <summary>The stream the task draws from during the training batches of the coming epoch.</summary>
    void BeginEpoch(RandomStream stream);
}
