using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Tensors;
using Aver.Training.Tasks;

namespace Aver.Training.Data;

/// <summary>
/// Clips of a catalog as MRPN audio inputs: each example is a clip's sequence of spectrogram
/// segments (<see cref="MrpnAudioPipeline"/>), batched as [N, S, 1, H, W] with per-clip lengths.
/// With an augmentation stream, each clip is cut to a random slice of at least 1 s first (MRPN
/// time augmentation, §4.4 item 4).
/// </summary>
public sealed class AudioClipSet(IReadOnlyList<CatalogItem> items, LabelSpace labels, MrpnAudioPipeline pipeline)
    : ClipSet<Tensor, StepSequence>(items, labels)
{
    protected override Tensor Clip(CatalogItem item, RandomStream? augment) => pipeline.Segments(item, augment).Spectrograms;

    protected override StepSequence Collate(Tensor[] clips) => StepSequence.Pad(clips);
}
