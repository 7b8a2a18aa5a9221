using Aver.Data.Catalogs;
using Aver.Data.Pipelines;
using Aver.Features;
using Aver.Features.Augmentation;
using Aver.Features.Cache;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Data.Tests.Pipelines;

/// <summary>MRPN's face-frame pipeline: clip -> tracked face crops [T, C, S, S], time slices, the on-disk cache.</summary>
public sealed class VideoPipelineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-video-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A 2-s 10-fps mp4 with sound showing the fixture's real face (128 x 128) on a grey 240 x 180 canvas.</summary>
    private string FaceClip()
    {
        var px = Fixture.Load("faces/blazeface_0.safetensors").Tensors["pixels"].Data;
        var canvas = Image.Blank(240, 180, ImageColor.Rgb, 90);
        var bytes = new byte[px.Length];
        for (int i = 0; i < px.Length; i++) bytes[i] = (byte)px[i];
        canvas.Paste(new Image(128, 128, 3, bytes), 56, 26);
        string png = Path.Combine(_dir, "face.png"), mp4 = Path.Combine(_dir, "face.mp4");
        Png.Write(png, canvas);
        TestFfmpeg.Run("-loop", "1", "-i", png, "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=16000:duration=2",
            "-t", "2", "-r", "10", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-c:a", "aac", "-shortest", mp4);
        return mp4;
    }

    [FactRequires(Need.BlazeFace)]
    public void AGeneratedClipGivesOneCropPerFrameAtTheRequestedSizeAndColour()
    {
        var pipeline = new MrpnVideoPipeline(new MrpnVideoOptions { FaceSize = 32, Color = ImageColor.Gray, Fps = 5 });
        var clip = pipeline.Faces(FaceClip());
        Assert.InRange(clip.Count, 9, 11); // 2 s at 5 fps
        Assert.Equal(clip.Count, clip.FaceFrames);
        Assert.Equal(0, clip.MissingFrames);
        Assert.Equal(0.2, clip.Times[1] - clip.Times[0], 6);
        var frames = pipeline.Frames(clip);
        Assert.Equal([clip.Count, 1, 32, 32], frames.Shape.ToArray());
        // Standardised with the default mean 0.5 and deviation 0.25: a face is not a flat image.
        Assert.InRange(frames.Data.Max() - frames.Data.Min(), 1f, 4.01f);

        // Spatial augmentation (MRPN §4.4 item 1): only with a training clip's stream, reproducible from it.
        var augmenting = new MrpnVideoPipeline(pipeline.Options with { Spatial = new SpatialAugmentationOptions() });
        var a1 = augmenting.Frames(clip, null, new RandomStream(3));
        Assert.Equal(a1.Data, augmenting.Frames(clip, null, new RandomStream(3)).Data);
        Assert.NotEqual(frames.Data, a1.Data);
        Assert.Equal(frames.Data, augmenting.Frames(clip).Data);

        var rgb = new MrpnVideoPipeline(new MrpnVideoOptions { FaceSize = 24, Fps = 5 });
        Assert.Equal([clip.Count, 3, 24, 24], rgb.Frames(rgb.Faces(Path.Combine(_dir, "face.mp4"))).Shape.ToArray());
    }

    [FactRequires(Need.BlazeFace)]
    public void AClipWithoutAFaceTakesCentralSquaresAndSaysSo()
    {
        string mp4 = Path.Combine(_dir, "noface.mp4");
        TestFfmpeg.Run("-f", "lavfi", "-i", "color=c=gray:size=160x120:rate=10:duration=1", "-pix_fmt", "yuv420p", "-c:v", "libx264", mp4);
        var pipeline = new MrpnVideoPipeline(new MrpnVideoOptions { FaceSize = 16, Fps = 4 });
        var clip = pipeline.Faces(mp4);
        Assert.True(clip.Count >= 3);
        Assert.Equal(0, clip.FaceFrames);
        Assert.Equal(clip.Count, clip.MissingFrames);
        Assert.Equal([clip.Count, 3, 16, 16], pipeline.Frames(clip).Shape.ToArray());
    }

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void ARavdessClipGivesAlignedFaceFramesAndASecondRunLoadsThemFromTheCache()
    {
        var catalog = DatasetReader.Open(TestPaths.Data("ravdess"));
        var item = catalog.Items.First(i => i.Modality == Modality.Audio && i.PairedVideo is not null);
        Assert.Equal(item.PairedVideo, MrpnVideoPipeline.VideoPath(item));
        var options = new MrpnVideoOptions { FaceSize = 48, Color = ImageColor.Gray, Fps = 5 };
        var first = new MrpnVideoPipeline(options, new FeatureCache(_dir));
        var clip = first.Faces(MrpnVideoPipeline.VideoPath(item));
        Assert.Equal(1, first.Computed);
        Assert.InRange(clip.Count, 15, 18);          // ~3.3 s at 5 fps
        Assert.Equal(clip.Count, clip.FaceFrames);  // RAVDESS: one frontal face throughout
        var frames = first.Frames(item);
        Assert.Equal([clip.Count, 1, 48, 48], frames.Shape.ToArray());

        // A 1-s slice (as time augmentation cuts the audio too) holds the frames with times inside it.
        var slice = new TimeInterval(1.0, 2.0);
        var sliced = first.Frames(item, slice);
        Assert.Equal(5, sliced.Dim(0));
        Assert.Equal(frames.Data.AsSpan(5 * 48 * 48, 5 * 48 * 48).ToArray(), sliced.Data);

        // Audio segments of the same slice: 1-s segments every 0.2 s from its start.
        var audio = new MrpnAudioPipeline(pool: 8).SegmentsIn(item, slice);
        Assert.Equal(1.0, audio.Times[0].Start, 3);
        Assert.Equal([1, 32, 31], audio.Spectrograms.Shape[1..].ToArray());

        var second = new MrpnVideoPipeline(options, new FeatureCache(_dir));
        var again = second.Faces(MrpnVideoPipeline.VideoPath(item));
        Assert.Equal(0, second.Computed);
        Assert.Equal(clip.Pixels, again.Pixels);
        Assert.Equal(clip.Times, again.Times);
        Assert.Equal(frames.Data, second.Frames(item).Data);
    }

    [Fact]
    public void AnAudioItemWithoutAVideoIsRefusedByName()
    {
        var item = new CatalogItem("/x/03-01-01-01-01-01-01.wav", Modality.Audio, Aver.Data.Labels.LabelSpaces.Ravdess8[0], "01", null, "r", new Dictionary<string, string>());
        var e = Assert.Throws<DatasetException>(() => MrpnVideoPipeline.VideoPath(item));
        Assert.Contains("03-01-01-01-01-01-01.wav", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MrpnVideoPipeline(new MrpnVideoOptions { Fps = 0 }));
    }
}
