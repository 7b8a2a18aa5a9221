using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Mrpn;

/// <summary>A batch of clips for the audio-visual networks: face frames and spectrogram segments with their valid lengths.</summary>
/// <param name="Frames">[N, Tv, C, H, W] face crops.</param>
/// <param name="FrameLengths">Valid frames per clip, or null when all have Tv.</param>
/// <param name="Segments">[N, Ta, 1, F, S] spectrogram segments.</param>
/// <param name="SegmentLengths">Valid segments per clip, or null when all have Ta.</param>
public sealed record AudioVisualBatch(Tensor Frames, int[]? FrameLengths, Tensor Segments, int[]? SegmentLengths);

/// <summary>
/// The whole audio-visual network of MRPN Figure 6: visual branch (F_v, A_v), audio branch
/// (F_a, A_a) and a fusion network N0, N1 or N2. Late fusion freezes the branches
/// (<see cref="FreezeBranches"/>); end-to-end training leaves them trainable.
/// </summary>
public sealed class MrpnNetwork : Module
{
    public ModalityBranch Visual { get; }
    public ModalityBranch Audio { get; }
    public FusionNetwork Fusion { get; }

    public MrpnNetwork(ModalityBranch visual, ModalityBranch audio, FusionVariant variant, int hiddenSize, int classes, float dropout = 0.3f, RandomStream? rng = null)
    {
        Visual = RegisterModule("visual", visual);
        Audio = RegisterModule("audio", audio);
        Fusion = RegisterModule("fusion", new FusionNetwork(variant, visual.OutputSize, audio.OutputSize, hiddenSize, classes, dropout, rng));
    }

    /// <summary>True while late fusion holds the branches fixed.</summary>
    public bool BranchesFrozen { get; private set; }

    /// <summary>
    /// Late fusion: the extractors and aggregators keep their (unimodally trained) weights. Frozen
    /// branches also stay in evaluation mode, so their batch-norm statistics do not drift either.
    /// </summary>
    public void FreezeBranches(bool frozen = true)
    {
        BranchesFrozen = frozen;
        Visual.RequiresGrad(!frozen);
        Audio.RequiresGrad(!frozen);
        if (frozen) { Visual.Eval(); Audio.Eval(); }
    }

    public override Module Train(bool training = true)
    {
        base.Train(training);
        if (BranchesFrozen) { Visual.Eval(); Audio.Eval(); }
        return this;
    }

    public FusionScores Forward(AudioVisualBatch batch) =>
        Fusion.Forward(Visual.Forward(batch.Frames, batch.FrameLengths), Audio.Forward(batch.Segments, batch.SegmentLengths));

    /// <summary>g_va, the fused features of each clip (MRPN Figure 4's t-SNE input).</summary>
    public Tensor JointFeatures(AudioVisualBatch batch) =>
        Fusion.JointFeatures(Visual.Forward(batch.Frames, batch.FrameLengths), Audio.Forward(batch.Segments, batch.SegmentLengths));
}
