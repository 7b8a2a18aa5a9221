namespace Aver.Media;

/// <summary>What <see cref="MediaProbe"/> learns about a file: container, duration and streams.</summary>
/// <param name="Path">The probed file.</param>
/// <param name="Container">ffprobe's format name, e.g. "mov,mp4,m4a,3gp,3g2,mj2", "flv", "wav".</param>
/// <param name="Duration">Seconds, or null when the container does not say.</param>
/// <param name="Audio">The first audio stream, or null.</param>
/// <param name="Video">The first video stream (not an attached cover picture), or null.</param>
/// <param name="Streams">Every stream in file order, including data and subtitle streams.</param>
public sealed record MediaInfo(
    string Path, string Container, double? Duration, long SizeBytes, long? BitRate,
    AudioStreamInfo? Audio, VideoStreamInfo? Video, IReadOnlyList<StreamInfo> Streams)
{
    public bool HasAudio => Audio is not null;
    public bool HasVideo => Video is not null;
}

/// <summary>One stream of any kind: its index in the file, kind ("audio", "video", "data", "subtitle", ...) and codec.</summary>
public sealed record StreamInfo(int Index, string Kind, string Codec, double? Duration);

/// <summary>An audio stream: codec, native sample rate (Hz) and channel count. Duration is the stream's, else the container's.</summary>
public sealed record AudioStreamInfo(int Index, string Codec, int SampleRate, int Channels, double? Duration);

/// <summary>
/// A video stream. Width and Height are the frames as decoded after ffmpeg applies a rotation tag
/// (a phone clip rotated 90° reports its upright size). FrameCount comes from the container when it
/// records one (MP4 does, FLV does not); otherwise <see cref="EstimatedFrameCount"/> is fps × duration.
/// Duration is the stream's, else the container's. PixelFormat is ffprobe's name for the decoded pictures
/// (e.g. "yuv420p"), or null when it does not say.
/// </summary>
public sealed record VideoStreamInfo(int Index, string Codec, int Width, int Height, Rational FrameRate,
                                     long? FrameCount, double? Duration, int Rotation, string? PixelFormat = null)
{
    public double Fps => FrameRate.Value;

    public long? EstimatedFrameCount => FrameCount ?? (Duration is double d && FrameRate.IsValid ? (long)Math.Round(d * Fps) : null);
}
