namespace Aver.Media.Tests.Faces;

/// <summary>Gap filling and smoothing on a hand-made stream of face and blank frames (real faces from the fixtures).</summary>
public class FaceTrackerTests
{
    private static Image FaceSquare(int n)
    {
        var px = Fixture.Load($"faces/blazeface_{n}.safetensors").Tensors["pixels"].Data;
        var bytes = new byte[px.Length];
        for (int i = 0; i < px.Length; i++) bytes[i] = (byte)px[i];
        return new Image(128, 128, 3, bytes);
    }

    private static List<VideoFrame> Frames(string pattern)
    {
        var face = FaceSquare(0);
        var blank = Image.Blank(128, 128, ImageColor.Rgb, 40);
        return pattern.Select((c, i) => new VideoFrame(i, i / 10.0, c == 'F' ? face : blank)).ToList();
    }

    [FactRequires(Need.BlazeFace)]
    public void GapsAreCarriedFromTheNearestDetection()
    {
        // 12 blanks, then faces with a one-frame and a long gap.
        var frames = Frames("BBBBBBBBBBBBFFBFBBBBBBBBBBBBF");
        var tracker = new FaceTracker(SharedBlazeFace.Instance, new FaceTrackerOptions { Lookahead = 8, SmoothRadius = 2 });
        var states = tracker.Stream(frames).Select(f => f.Track).ToList();
        Assert.Equal(frames.Count, states.Count);
        Assert.Equal(Enumerable.Range(0, frames.Count), states.Select(s => s.Index));
        // Frames 0-3 are more than 8 frames before the first face: nothing to carry from yet.
        Assert.All(states.Take(4), s => Assert.Equal(FaceState.Missing, s.State));
        Assert.All(states.Skip(4).Take(8), s => Assert.Equal(FaceState.Carried, s.State));
        Assert.Equal(FaceState.Detected, states[12].State);
        Assert.Equal(FaceState.Carried, states[14].State);
        Assert.All(states.Skip(16).Take(12), s => Assert.Equal(FaceState.Carried, s.State));
        Assert.Equal(FaceState.Detected, states[28].State);
        Assert.Equal(0, states[14].DetectionsInFrame);
        // Identical face frames: smoothing and carrying keep the same box.
        var box = states[12].Face!.Box;
        Assert.Equal(box.X, states[14].Face!.Box.X, 2);
        Assert.Equal(box.X, states[20].Face!.Box.X, 2);
        var track = new FaceTrack("synthetic", states);
        Assert.Equal(4, track.FramesDetected);
        Assert.Equal(frames.Count - 4, track.FramesWithFace);
    }

    [FactRequires(Need.BlazeFace)]
    public void SparseDetectionInterpolatesBetweenProbedFrames()
    {
        var frames = Frames(new string('F', 11));
        var tracker = new FaceTracker(SharedBlazeFace.Instance, new FaceTrackerOptions { DetectEvery = 3 });
        var states = tracker.Stream(frames).Select(f => f.Track).ToList();
        // The last frame is always probed, so the clip's tail is interpolated, not carried.
        Assert.Equal("DIIDIIDIIDD", string.Concat(states.Select(s => s.State.ToString()[0])));
        Assert.Equal(states[0].Face!.Box.X, states[1].Face!.Box.X, 2);
        Assert.Equal(0, states[1].DetectionsInFrame);
    }

    [FactRequires(Need.BlazeFace)]
    public void ProbesThatDisagreeAreFilledByDetectingTheFramesBetween()
    {
        // Every 4th frame probed: 0 and 4 (face) agree, so 1-3 are interpolated; 4 (face) and 8 (blank) disagree,
        // so 5-7 are detected: 5 still shows the face, 6-7 do not. 8 and 11 (last, always probed) are both blank.
        var frames = Frames("FFFFFFBBBBBB");
        var tracker = new FaceTracker(SharedBlazeFace.Instance, new FaceTrackerOptions { DetectEvery = 4 });
        var states = tracker.Stream(frames).Select(f => f.Track).ToList();
        Assert.Equal("DIIIDDCCCCCC", string.Concat(states.Select(s => s.State.ToString()[0])));
        Assert.Equal(1, states[5].DetectionsInFrame);
        Assert.All(states.Skip(6), s => Assert.Equal(states[5].Face!.Box.X, s.Face!.Box.X, 2));
    }

    [FactRequires(Need.BlazeFace)]
    public void StoppingEarlyEndsTheReader()
    {
        var frames = Frames(new string('F', 40));
        var tracker = new FaceTracker(SharedBlazeFace.Instance);
        var first = tracker.Stream(frames).Take(3).ToList();
        Assert.Equal(3, first.Count);
        Assert.All(first, f => Assert.Equal(FaceState.Detected, f.Track.State));
    }
}
