using Aver.Data.Labels;
using Aver.Features;
using Aver.Media;

namespace Aver.Inference.Branches;

/// <summary>
/// An audio branch of a decision-fusion model: decoded audio in, calibrated probabilities for the clip and each
/// timeline window out. <see cref="AudioBranch"/> is MRPN's AM on spectrogram segments, <see cref="LogMelAudioBranch"/>
/// a compact CNN on log-mel crops; the fusion, <c>aver predict</c>, <c>aver score</c> and live streams treat them alike.
/// </summary>
public interface IAudioBranch
{
    /// <summary>The classes the branch's network answers in (carried into the model's space by the fusion).</summary>
    LabelSpace Labels { get; }

    /// <summary>The calibrated temperature its logits are divided by before the softmax.</summary>
    float Temperature { get; }

    /// <summary>The sample rate its front end reads audio at.</summary>
    int SampleRate { get; }

    /// <summary>"MRPN AM ..." or "audio CNN ...": what the branch is, for the model's description.</summary>
    string Describe();

    /// <summary>Runs the network once on silence, so the first real answer (of a live stream) does not wait for warm-up.</summary>
    void Warm();

    /// <summary>The branch on <paramref name="audio"/>: the clip's answer and each of <paramref name="windows"/>' (null where it has none).</summary>
    BranchOutput Run(AudioBuffer audio, IReadOnlyList<TimeInterval> windows);
}
