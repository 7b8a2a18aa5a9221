using Aver.Tensors;

namespace Aver.Models.Mrpn;

/// <summary>
/// MRPN's multi-term loss (eq. 5): L = L_v + L_a + L_va, each a cross-entropy; for N0, or in
/// evaluation where the side branches do not run, just L_va.
/// </summary>
public static class MultiTermLoss
{
    public static Tensor Compute(FusionScores scores, ReadOnlySpan<int> targets, Tensor? classWeights = null, float labelSmoothing = 0f)
    {
        var loss = Losses.CrossEntropy(scores.Fused, targets, classWeights, labelSmoothing);
        if (scores.Visual is not null) loss = loss + Losses.CrossEntropy(scores.Visual, targets, classWeights, labelSmoothing);
        if (scores.Audio is not null) loss = loss + Losses.CrossEntropy(scores.Audio, targets, classWeights, labelSmoothing);
        return loss;
    }
}
