namespace Aver.Media;

/// <summary>How a frame's face was obtained.</summary>
public enum FaceState
{
    /// <summary>The detector found the face in this frame (coordinates smoothed over neighbouring detections).</summary>
    Detected,
    /// <summary>No detection here: the nearest detected frame's face (previous or next) is carried over.</summary>
    Carried,
    /// <summary>
    /// The detector skipped this frame (<see cref="FaceTrackerOptions.DetectEvery"/> &gt; 1): the face is
    /// interpolated linearly between the detections before and after it.
    /// </summary>
    Interpolated,
    /// <summary>No face in this frame nor any nearby one to carry from.</summary>
    Missing,
}

/// <summary>The face of one frame of a track: <see cref="Face"/> is null only when <see cref="State"/> is Missing.</summary>
public sealed record TrackedFace(int Index, double Time, FaceDetection? Face, FaceState State, int DetectionsInFrame);

/// <summary>A decoded frame with its tracked face, as <see cref="FaceTracker.Stream"/> yields them.</summary>
public sealed record TrackedFrame(VideoFrame Frame, TrackedFace Track);

/// <summary>Whether a clip's track found a face at all.</summary>
public enum FaceTrackStatus { Found, NoFace }

/// <summary>
/// The face track of a clip: one <see cref="TrackedFace"/> per decoded frame. A clip in which the detector
/// never fired has <see cref="Status"/> NoFace and every frame Missing; callers check the status instead
/// of catching an exception.
/// </summary>
public sealed class FaceTrack(string path, IReadOnlyList<TrackedFace> frames)
{
    public string Path { get; } = path;
    public IReadOnlyList<TrackedFace> Frames { get; } = frames;
    public int FramesDetected { get; } = frames.Count(f => f.State == FaceState.Detected);
    /// <summary>Frames with a face: detected, interpolated or carried.</summary>
    public int FramesWithFace { get; } = frames.Count(f => f.State != FaceState.Missing);
    public FaceTrackStatus Status => FramesDetected > 0 ? FaceTrackStatus.Found : FaceTrackStatus.NoFace;
    public bool HasFace => Status == FaceTrackStatus.Found;
    /// <summary>The fraction of frames in which the detector found the face (0 for an empty track).</summary>
    public double DetectedFraction => Frames.Count == 0 ? 0 : (double)FramesDetected / Frames.Count;
}
