using Aver.Data.Catalogs;
using Aver.Data.Pipelines;
using Aver.Media;
using Aver.Models.Mrpn;
using Aver.Tensors;
using Aver.Training.Data;

namespace Aver.Training.Tests.Data;

public sealed class AudioVisualClipSetTests
{
    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void OneTimeSliceCutsTheFacesAndTheSpectrogramsOfAClipAlike()
    {
        var catalog = DatasetReader.Open(TestPaths.Data("ravdess"));
        var item = catalog.Items.First(i => i.Modality == Modality.Audio && i.PairedVideo is not null);
        var video = new MrpnVideoPipeline(new MrpnVideoOptions { FaceSize = 24, Color = ImageColor.Gray, Fps = 5 });
        var audio = new MrpnAudioPipeline(pool: 8);
        var set = new AudioVisualClipSet([item, item], catalog.Labels, audio, video);

        var whole = Assert.Single(set.Batches([0, 1], 2)).Input;
        Assert.Equal([2, whole.Frames.Dim(1), 1, 24, 24], whole.Frames.Shape.ToArray());
        Assert.Equal([2, whole.Segments.Dim(1), 1, 32, 31], whole.Segments.Shape.ToArray());

        // Augmented, each of the two copies gets its own slice; within a copy, both modalities span the same seconds.
        for (ulong seed = 1; seed <= 4; seed++)
        {
            var batch = Assert.Single(set.Batches([0, 1], 2, augment: new RandomStream(seed))).Input;
            for (int i = 0; i < 2; i++)
            {
                double frameSeconds = batch.FrameLengths![i] / 5.0;       // frames at 5 fps
                double audioSeconds = 1 + (batch.SegmentLengths![i] - 1) * 0.2; // 1-s segments every 0.2 s
                Assert.InRange(frameSeconds - audioSeconds, -0.45, 0.45);
                Assert.True(frameSeconds >= 0.8, $"slice of {frameSeconds} s is shorter than the 1-s minimum");
            }
        }
    }
}
