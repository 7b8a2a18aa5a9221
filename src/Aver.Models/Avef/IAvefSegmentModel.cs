using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Avef;

/// <summary>
/// What AVEF's training stages need of a segment model (§2.2): the audio-network, the visual-network
/// (null for audio-only AVEF), the DBN over their concatenated fc7 features, the forward pass, and
/// transfer across corpora. <see cref="AvefNetwork"/> (audio + video) and <see cref="AvefAudioNetwork"/>
/// (audio only) implement it.
/// </summary>
public interface IAvefSegmentModel
{
    /// <summary>The module holding every part (checkpointed and optimised as a whole in fine-tuning).</summary>
    Module Module { get; }

    AudioNet Audio { get; }

    /// <summary>The visual-network, or null when the model takes audio only.</summary>
    VisualNet? Visual { get; }

    DeepBeliefNetwork Dbn { get; }

    /// <summary>The DBN's input [N, audio fc7 (+ visual fc7)] of audio [N, 3, 64, 64] and faces [N, C, 16, H, W] (null for audio only).</summary>
    Tensor SegmentFeatures(Tensor audio, Tensor? visual);

    /// <summary>The forward pass on aligned segments.</summary>
    AvefOutput Forward(Tensor audio, Tensor? visual);

    /// <summary>Transfer across corpora (§2.2): keeps the trunks of the model at <paramref name="path"/>, re-initialises the deep layers.</summary>
    void StartTransfer(string path, RandomStream rng, bool freezeShallow = true);

    /// <summary>Saves the weights with the architecture in the metadata, so the model rebuilds from the file alone.</summary>
    void SaveModel(string path, IReadOnlyDictionary<string, string>? metadata = null);
}
