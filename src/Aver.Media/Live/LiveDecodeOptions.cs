namespace Aver.Media;

/// <summary>What <see cref="LiveDecoder"/> makes of a live stream: which streams, at what rate and size, and when to give up waiting.</summary>
public sealed record LiveDecodeOptions
{
    /// <summary>Decode the audio stream (when the stream has one).</summary>
    public bool Audio { get; init; } = true;
    /// <summary>Decode the video stream (when the stream has one).</summary>
    public bool Video { get; init; } = true;
    /// <summary>Audio comes out mono at this rate.</summary>
    public int SampleRate { get; init; } = 16000;
    /// <summary>Video frames per second (a constant rate: frame i is at i / Fps s).</summary>
    public double Fps { get; init; } = 4;
    /// <summary>Frames larger than this on their longer side are scaled down.</summary>
    public int MaxSide { get; init; } = 320;
    /// <summary>
    /// Decode only I and P frames (as batch prediction does, <see cref="VideoFrameOptions.SkipBFrames"/>): about half the
    /// H.264 decoding work when sampling a few frames per second.
    /// </summary>
    public bool SkipBFrames { get; init; } = true;
    /// <summary>A stream that delivers no bytes for this long has stalled: decoding ends with that message.</summary>
    public double StallSeconds { get; init; } = 10;
    /// <summary>
    /// How much of the stream ffmpeg reads to learn its layout before the first answer. ffmpeg's own default (5 s)
    /// would hold every answer back that long; containers that describe their streams in a header (Matroska, NUT, MP4,
    /// FLV) need far less.
    /// </summary>
    public double ProbeSeconds { get; init; } = 0.5;

    /// <summary>Throws naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Audio && !Video) throw new ArgumentException("decode at least one of audio and video");
        if (SampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, "sample rate must be positive");
        if (!(Fps > 0) || Fps > 120) throw new ArgumentOutOfRangeException(nameof(Fps), Fps, "frame rate must be in (0, 120] fps");
        if (MaxSide < 16) throw new ArgumentOutOfRangeException(nameof(MaxSide), MaxSide, "frame size must be at least 16 px");
        if (!(StallSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(StallSeconds), StallSeconds, "stall timeout must be positive");
        if (!(ProbeSeconds >= 0) || ProbeSeconds > 60) throw new ArgumentOutOfRangeException(nameof(ProbeSeconds), ProbeSeconds, "probe duration must be in [0, 60] s");
    }
}
