using Aver.Models.Mrpn;
using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Training.Tasks;

/// <summary>
/// The audio-visual networks N0, N1, N2 (MRPN eqs. 7-9): loss L = L_v + L_a + L_va in training (eq. 5;
/// L_va alone for N0 and in evaluation, where only the central branch runs), prediction s_va, and the
/// fused features g_va for the t-SNE plot (Figure 4). Late fusion is the network's frozen branches; the
/// trainer optimises only parameters that require gradients.
/// </summary>
public sealed class MrpnTask(MrpnNetwork network, float labelSmoothing = 0f) : ITrainingTask<AudioVisualBatch>
{
    public MrpnNetwork Network { get; } = network;
    public Module Model => Network;

    public StepOutput Step(AudioVisualBatch input, int[] targets)
    {
        var scores = Network.Forward(input);
        return new StepOutput(MultiTermLoss.Compute(scores, targets, labelSmoothing: labelSmoothing), scores.Fused);
    }

    public Tensor? Features(AudioVisualBatch input) => Network.JointFeatures(input);
}

/// <summary>A sequence of steps (face frames or spectrogram segments) [N, T, C, H, W] with valid lengths per clip.</summary>
public sealed record StepSequence(Tensor Steps, int[]? Lengths)
{
    /// <summary>Sequences [T_i, C, H, W] zero-padded into one batch [N, max T_i, C, H, W].</summary>
    public static StepSequence Pad(IReadOnlyList<Tensor> sequences)
    {
        var padded = Aver.Data.Pipelines.SequenceBatch.Pad(sequences);
        return new StepSequence(padded.Steps, padded.Lengths);
    }
}

/// <summary>The single-modality networks AM and VM of MRPN Table 1: cross-entropy on s_m, features f^_m.</summary>
public sealed class UnimodalTask(UnimodalNetwork network, float labelSmoothing = 0f) : ITrainingTask<StepSequence>
{
    public UnimodalNetwork Network { get; } = network;
    public Module Model => Network;

    public StepOutput Step(StepSequence input, int[] targets)
    {
        var scores = Network.Forward(input.Steps, input.Lengths);
        return new StepOutput(Losses.CrossEntropy(scores, targets, labelSmoothing: labelSmoothing), scores);
    }

    public Tensor? Features(StepSequence input) => Network.Features(input.Steps, input.Lengths);
}
