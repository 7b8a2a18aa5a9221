namespace Aver.Media;

/// <summary>
/// How to decode video frames. Size: <see cref="Width"/> and/or <see cref="Height"/> (one alone keeps the
/// aspect ratio), then <see cref="MaxSide"/> shrinks anything larger (a 4K clip with MaxSide 1280 becomes
/// 1280x720). Rate: <see cref="Fps"/>, or the stream's own rate; either way frames come out at a constant
/// rate (ffmpeg's fps filter duplicates or drops frames of a variable-rate clip), so frame i is at i/fps s.
/// </summary>
public sealed record VideoFrameOptions
{
    public double? Fps { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public int? MaxSide { get; init; }
    public ImageColor Color { get; init; } = ImageColor.Rgb;
    /// <summary>Start decoding this many seconds in (input seek; the first frame is at this time).</summary>
    public double Start { get; init; }
    /// <summary>Stop after this many seconds, or null for the whole clip.</summary>
    public double? Duration { get; init; }
    /// <summary>
    /// Decode only I and P frames (<c>-skip_frame bidir</c>). For sampling well below the source rate
    /// (e.g. 10 fps from RAVDESS's 29.97, where 60 of 98 frames are B frames) H.264 decoding costs about
    /// 0.57× as much CPU; each frame's picture is then up to about two source frames (≤ 70 ms) from its
    /// timestamp. No effect on codecs without B frames (CREMA-D's VP6).
    /// </summary>
    public bool SkipBFrames { get; init; }
    /// <summary>
    /// Skip H.264's in-loop deblocking filter (<c>-skip_loop_filter all</c>): about a quarter less decoding CPU; the
    /// pictures keep faint block edges, which a face detector and a 48-px face classifier do not see (bench/predict).
    /// </summary>
    public bool SkipLoopFilter { get; init; }
    /// <summary>
    /// ffmpeg decoder threads for this stream, or null for <see cref="FfmpegTools.Threads"/>. A pipeline that
    /// detects faces while ffmpeg decodes already keeps two cores busy; one decoder thread then costs less
    /// CPU than two (H.264 frame threading: RAVDESS 720p to 640 px RGB took 0.72 instead of 0.86 CPU-s per clip).
    /// </summary>
    public int? DecoderThreads { get; init; }
}

/// <summary>One decoded video frame: its index from the start of decoding, its time in seconds, and the picture.</summary>
public sealed record VideoFrame(int Index, double Timestamp, Image Image);
