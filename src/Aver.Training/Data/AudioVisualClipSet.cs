using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features;
using Aver.Features.Augmentation;
using Aver.Models.Mrpn;
using Aver.Tensors;

namespace Aver.Training.Data;

/// <summary>
/// Clips of a catalog as the audio-visual networks' input (N0, N1, N2): face crops of the clip's video
/// (the paired `01-` mp4 of a RAVDESS `03-` wav, or the item itself) and spectrogram segments of its
/// audio. With augmentation one random slice (at least <paramref name="minSliceSeconds"/>, within the
/// shorter of the two streams) cuts both, so the modalities stay aligned (MRPN §4.4 items 2 and 4); the faces also get the pipeline's spatial augmentation (item 1).
/// </summary>
public sealed class AudioVisualClipSet(IReadOnlyList<CatalogItem> items, LabelSpace labels, MrpnAudioPipeline audio, MrpnVideoPipeline video,
    double minSliceSeconds = 1.0) : ClipSet<(Tensor Frames, Tensor Segments), AudioVisualBatch>(items, labels)
{
    protected override void Prepare(CatalogItem item) => video.Faces(MrpnVideoPipeline.VideoPath(item));

    protected override (Tensor Frames, Tensor Segments) Clip(CatalogItem item, RandomStream? augment)
    {
        var faces = video.Faces(MrpnVideoPipeline.VideoPath(item));
        TimeInterval? slice = null;
        if (augment is not null)
        {
            double duration = Math.Min(audio.Audio(item).Duration, faces.Duration(video.Options.Fps));
            slice = TimeSlice.Random(duration, augment, minSliceSeconds);
        }
        return (video.Frames(faces, slice, augment?.Fork("spatial")), audio.SegmentsIn(item, slice).Spectrograms);
    }

    protected override AudioVisualBatch Collate((Tensor Frames, Tensor Segments)[] clips)
    {
        var frames = SequenceBatch.Pad(clips.Select(c => c.Frames).ToArray());
        var segments = SequenceBatch.Pad(clips.Select(c => c.Segments).ToArray());
        return new AudioVisualBatch(frames.Steps, frames.Lengths, segments.Steps, segments.Lengths);
    }
}
