namespace Aver.Media.Tests.Faces;

/// <summary>
/// The face pipeline on every shared video clip (6 RAVDESS mp4, 3 CREMA-D flv). To stay near a minute on
/// the shared two-core machine the clips are decoded at 15 fps (every second frame of the 29.97/30 fps
/// originals) and at most 320 px wide; detection sees 128x128 either way.
/// </summary>
public class FaceTrackRealDataTests
{
    private static readonly VideoFrameOptions Sampled = new() { Fps = 15, MaxSide = 320 };

    public static TheoryData<string> Clips()
    {
        var data = new TheoryData<string>();
        if (TestPaths.SharedData is null) { data.Add("(shared data absent)"); return data; }
        foreach (var c in SharedClips.AllVideos) data.Add(Path.GetFileName(c));
        return data;
    }

    private static string Resolve(string name) => SharedClips.AllVideos.Single(c => Path.GetFileName(c) == name);

    [TheoryRequires(Need.BlazeFace | Need.SharedData)]
    [MemberData(nameof(Clips))]
    public void FindsTheFaceInAtLeast95PercentOfFrames(string clip)
    {
        var path = Resolve(clip);
        var track = new FaceTracker(SharedBlazeFace.Instance).Track(path, Sampled);
        var info = MediaProbe.Probe(path).Video!;
        var (w, h) = VideoReader.OutputSize(info.Width, info.Height, Sampled);
        Assert.Equal(FaceTrackStatus.Found, track.Status);
        Assert.True(track.Frames.Count > 20, $"{clip}: only {track.Frames.Count} frames decoded");
        Assert.True(track.DetectedFraction >= 0.95, $"{clip}: face detected in {track.FramesDetected} of {track.Frames.Count} frames");
        Assert.Equal(track.Frames.Count, track.FramesWithFace);
        foreach (var f in track.Frames)
        {
            var d = f.Face!;
            // Faces in these clips are well inside the picture; allow a few pixels for the detector's box.
            Assert.True(d.Box.X > -4 && d.Box.Y > -4 && d.Box.Right < w + 4 && d.Box.Bottom < h + 4, $"{clip} frame {f.Index}: box {d.Box} outside {w}x{h}");
            Assert.True(d.Box.Width > 0.1 * h, $"{clip} frame {f.Index}: box {d.Box} implausibly small");
            Assert.True(d.RightEye.Y < d.Mouth.Y && d.LeftEye.Y < d.Mouth.Y, $"{clip} frame {f.Index}: eyes not above mouth");
            Assert.True(d.RightEye.X < d.LeftEye.X, $"{clip} frame {f.Index}: eyes swapped");
        }
    }

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void SparseDetectionKeepsTheFaceAndFollowsEveryFrameDetection()
    {
        // A RAVDESS clip (the speaker moves) at 15 fps: detecting every 4th frame must still give a face in
        // >= 95% of frames, and the interpolated boxes must stay on the boxes that detecting every frame finds.
        var path = SharedClips.RavdessAv[1];
        var every = new FaceTracker(SharedBlazeFace.Instance).Track(path, Sampled);
        var sparse = new FaceTracker(SharedBlazeFace.Instance, new FaceTrackerOptions { DetectEvery = 4 }).Track(path, Sampled);
        Assert.Equal(every.Frames.Count, sparse.Frames.Count);
        Assert.True(sparse.FramesWithFace >= 0.95 * sparse.Frames.Count, $"face in {sparse.FramesWithFace} of {sparse.Frames.Count} frames");
        Assert.True(sparse.FramesDetected < 0.6 * sparse.Frames.Count, $"{sparse.FramesDetected} of {sparse.Frames.Count} frames detected: not sparse");
        Assert.Contains(sparse.Frames, f => f.State == FaceState.Interpolated);
        double iou = 0;
        for (int i = 0; i < every.Frames.Count; i++) iou += every.Frames[i].Face!.Box.IoU(sparse.Frames[i].Face!.Box);
        Assert.True(iou / every.Frames.Count > 0.85, $"mean IoU with every-frame detection {iou / every.Frames.Count:F3}");
    }

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void CropsAreCentredOnTheFace()
    {
        var path = SharedClips.RavdessAv[0];
        var tracker = new FaceTracker(SharedBlazeFace.Instance);
        int n = 0;
        foreach (var style in new[] { FaceCropStyle.Mrpn, FaceCropStyle.Avef })
        {
            var r = FaceExtraction.Run(path, tracker, new FaceCropOptions { Style = style, Size = 64, Align = true, Color = ImageColor.Gray },
                new VideoFrameOptions { Fps = 5, MaxSide = 320 }, (face, crop) =>
                {
                    n++;
                    Assert.Equal((64, 64, 1), (crop.Width, crop.Height, crop.Channels));
                    // Re-detecting on the crop finds the face near its centre.
                    var again = SharedBlazeFace.Instance.Detect(crop.ToRgb());
                    Assert.NotEmpty(again);
                    var c = again[0].Box.Center;
                    Assert.InRange(c.X, 20, 44);
                    Assert.InRange(c.Y, 18, 46);
                });
            Assert.True(r.FramesWithFace > 10);
        }
        Assert.True(n > 20);
    }
}
