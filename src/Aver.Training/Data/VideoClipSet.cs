using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Features;
using Aver.Features.Augmentation;
using Aver.Models.Mrpn;
using Aver.Tensors;
using Aver.Training.Tasks;

namespace Aver.Training.Data;

/// <summary>
/// Clips of a catalog as MRPN visual inputs (VM of Table 1): each example is the clip's face crops
/// (<see cref="MrpnVideoPipeline"/>), batched as [N, T, C, S, S] with per-clip lengths. With an
/// augmentation stream, each clip is cut to a random slice of at least <paramref name="minSliceSeconds"/>
/// (MRPN time augmentation, §4.4 item 2, Figure 9) and given the pipeline's spatial augmentation (item 1).
/// </summary>
public sealed class VideoClipSet(IReadOnlyList<CatalogItem> items, LabelSpace labels, MrpnVideoPipeline pipeline, double minSliceSeconds = 1.0)
    : ClipSet<Tensor, StepSequence>(items, labels)
{
    protected override void Prepare(CatalogItem item) => pipeline.Faces(MrpnVideoPipeline.VideoPath(item));

    protected override Tensor Clip(CatalogItem item, RandomStream? augment)
    {
        var faces = pipeline.Faces(MrpnVideoPipeline.VideoPath(item));
        var slice = augment is null ? (TimeInterval?)null : TimeSlice.Random(faces.Duration(pipeline.Options.Fps), augment, minSliceSeconds);
        return pipeline.Frames(faces, slice, augment?.Fork("spatial"));
    }

    protected override StepSequence Collate(Tensor[] clips) => StepSequence.Pad(clips);
}
