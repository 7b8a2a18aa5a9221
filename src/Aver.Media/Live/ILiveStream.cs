namespace Aver.Media;

/// <summary>
/// Media arriving as it plays: mono audio chunks and video frames at a constant rate, each as soon as it exists.
/// <see cref="LiveDecoder"/> is one (anything ffmpeg reads); a browser's microphone and camera sent over a socket, or a
/// test's generated signal, are others.
/// </summary>
public interface ILiveStream
{
    /// <summary>What the stream is called in messages ("-" for standard input).</summary>
    string Name { get; }
    /// <summary>Its streams in a few words, e.g. "video h264 1280x720; audio aac 48000 Hz stereo".</summary>
    string Layout { get; }
    bool HasAudio { get; }
    bool HasVideo { get; }
    /// <summary>Mono samples in order, at the rate the stream was opened for; ends with the stream.</summary>
    IEnumerable<float[]> AudioChunks();
    /// <summary>Frames in order, frame i at i / fps s; ends with the stream.</summary>
    IEnumerable<VideoFrame> Frames();
    /// <summary>Once both have ended: why the stream ended early (stalled, broken), or null for a clean end or a <see cref="Stop"/>.</summary>
    string? Problem();
    /// <summary>Ends the stream now (Ctrl-C): both enumerations finish soon after.</summary>
    void Stop();
}
