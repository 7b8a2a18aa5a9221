namespace Aver.Media.Tests.Faces;

/// <summary>The face pipeline on inputs without a face, on 4K frames, and on files that are not video.</summary>
public class FaceBadInputTests
{
    [FactRequires(Need.BlazeFace)]
    public void ClipWithoutAFaceIsReportedAsSuch()
    {
        using var dir = new TempDir();
        var clip = BadInputs.VideoOnly(dir);   // lavfi testsrc: colour bars and a counter, no face
        var track = new FaceTracker(SharedBlazeFace.Instance).Track(clip);
        Assert.Equal(FaceTrackStatus.NoFace, track.Status);
        Assert.False(track.HasFace);
        Assert.Equal(10, track.Frames.Count);
        Assert.All(track.Frames, f => Assert.Equal(FaceState.Missing, f.State));
        Assert.All(track.Frames, f => Assert.Null(f.Face));
    }

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void FourKFramesGoThroughDetectionAndCropping()
    {
        using var dir = new TempDir();
        var clip = dir.File("face-4k.mp4");
        TempDir.Ffmpeg("-ss", "1", "-i", SharedClips.RavdessAv[0], "-frames:v", "3", "-vf", "scale=3840:2160", "-an", "-c:v", "mpeg4", "-q:v", "5", clip);
        var crops = new List<Image>();
        var r = FaceExtraction.Run(clip, new FaceTracker(SharedBlazeFace.Instance), new FaceCropOptions { Size = 96 },
            new VideoFrameOptions(), (_, crop) => crops.Add(crop));   // no MaxSide: full 3840x2160 frames
        Assert.Equal(3, r.Frames);
        Assert.Equal(3, r.FramesDetected);
        var face = r.Track.Frames[0].Face!;
        // RAVDESS actors sit in the middle of the frame: the box is in 4K pixels, around the centre.
        Assert.InRange(face.Box.Center.X, 1400, 2440);
        Assert.InRange(face.Box.Center.Y, 500, 1700);
        Assert.True(face.Box.Width > 400, $"box {face.Box} is not in 4K pixels");
        Assert.All(crops, c => Assert.Equal((96, 96), (c.Width, c.Height)));
    }

    [FactRequires(Need.BlazeFace)]
    public void MissingAndNonMediaFilesNameTheFile()
    {
        using var dir = new TempDir();
        var tracker = new FaceTracker(SharedBlazeFace.Instance);
        var missing = dir.File("nope.mp4");
        var e = Assert.Throws<MediaException>(() => tracker.Track(missing));
        Assert.Contains("nope.mp4", e.Message);
        var text = dir.File("notes.mp4");
        File.WriteAllText(text, "not a video at all\n");
        e = Assert.ThrowsAny<MediaException>(() => tracker.Track(text));
        Assert.Contains("notes.mp4", e.Message);
        var audio = BadInputs.AudioOnly(dir);
        e = Assert.Throws<MediaException>(() => tracker.Track(audio));
        Assert.Contains("no video", e.Message);
    }

    [Fact]
    public void MissingModelSaysHowToInstallIt()
    {
        var e = Assert.Throws<MediaException>(() => BlazeFace.Load(new BlazeFaceOptions { ModelPath = "/nonexistent/blazeface.onnx" }));
        Assert.Contains("/nonexistent/blazeface.onnx", e.Message);
        Assert.Contains("setup.sh", e.Message);
    }
}
