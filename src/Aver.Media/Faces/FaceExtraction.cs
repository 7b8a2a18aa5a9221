using System.Diagnostics;

namespace Aver.Media;

/// <summary>What <see cref="FaceExtraction.Run"/> did with one clip: the track, counts and timing.</summary>
public sealed record FaceExtractionResult(string Path, FaceTrack Track, double VideoSeconds, double ElapsedSeconds)
{
    public int Frames => Track.Frames.Count;
    public int FramesWithFace => Track.FramesWithFace;
    public int FramesDetected => Track.FramesDetected;
    /// <summary>Seconds of video processed per second of wall time.</summary>
    public double RealTimeFactor => ElapsedSeconds > 0 ? VideoSeconds / ElapsedSeconds : double.PositiveInfinity;
}

/// <summary>
/// Decode + detect + track + crop of one clip in a single streaming pass: each frame with a face
/// (detected or carried) is cropped and handed to the caller, who decides whether to keep it.
/// </summary>
public static class FaceExtraction
{
    /// <summary>
    /// The clip's own rate, longer side at most 640 px (a RAVDESS face is then ~200 px, more than any crop size
    /// asked for), one ffmpeg thread (decoding overlaps detection, so the second core is already busy).
    /// </summary>
    public static readonly VideoFrameOptions DefaultDecode = new() { MaxSide = 640, DecoderThreads = 1 };

    /// <summary>
    /// Runs the pipeline on <paramref name="path"/>; <paramref name="onCrop"/> receives each face crop in frame
    /// order. Frames are decoded with <paramref name="decode"/> (default <see cref="DefaultDecode"/>).
    /// A null <paramref name="crop"/> tracks without cropping (what a benchmark of decode + detect alone measures).
    /// </summary>
    public static FaceExtractionResult Run(string path, FaceTracker tracker, FaceCropOptions? crop,
        VideoFrameOptions? decode = null, Action<TrackedFace, Image>? onCrop = null)
    {
        var clock = Stopwatch.StartNew();
        var reader = MediaDecoder.OpenVideo(path, decode ?? DefaultDecode);
        var faces = new List<TrackedFace>();
        foreach (var f in tracker.Stream(reader))
        {
            faces.Add(f.Track);
            if (crop is not null && f.Track.Face is { } face)
            {
                var image = FaceCropper.Crop(f.Frame.Image, face, crop);
                onCrop?.Invoke(f.Track, image);
            }
            reader.Recycle(f.Frame);   // the crop is a copy: the frame's buffer can take a later frame
        }
        double seconds = faces.Count / reader.FrameRate.Value;
        return new FaceExtractionResult(path, new FaceTrack(path, faces), seconds, clock.Elapsed.TotalSeconds);
    }
}
