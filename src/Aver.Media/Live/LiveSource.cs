namespace Aver.Media;

/// <summary>
/// Where a live stream comes from: bytes on a stream (standard input: any container ffmpeg reads, e.g. Matroska from
/// <c>ffmpeg -re -i clip.mp4 -c copy -f matroska -</c>), a file (read as fast as it decodes, or at its own speed with
/// <see cref="Realtime"/>), or anything else ffmpeg opens: a URL (rtsp://, http://) or a device with its
/// <see cref="Format"/> (v4l2 for /dev/video0, alsa or pulse for a microphone).
/// </summary>
public sealed record LiveSource
{
    /// <summary>What the stream is called in messages: "-" for standard input, else the path, URL or device.</summary>
    public required string Name { get; init; }

    /// <summary>The bytes of the stream, when Aver reads them itself (standard input); null lets ffmpeg open <see cref="Name"/>.</summary>
    public Stream? Input { get; init; }

    /// <summary>ffmpeg's input format (its -f before -i), for devices: v4l2, alsa, pulse, x11grab...</summary>
    public string? Format { get; init; }

    /// <summary>Read a file at its own speed (ffmpeg's -re), as if it were broadcast.</summary>
    public bool Realtime { get; init; }

    /// <summary>Standard input's bytes (the CLI's "-").</summary>
    public static LiveSource FromStream(Stream input, string name = "-") => new() { Name = name, Input = input };

    /// <summary>
    /// A path, URL or device named on the command line. A plain path must be a readable file (checked now, so the
    /// error names it); a URL (scheme://) or a device with a <paramref name="format"/> is left to ffmpeg.
    /// </summary>
    public static LiveSource Open(string name, string? format = null, bool realtime = false)
    {
        bool url = name.Contains("://", StringComparison.Ordinal);
        if (!url && format is null) MediaException.ThrowIfNotReadable(name);
        return new LiveSource { Name = name, Format = format, Realtime = realtime };
    }

    /// <summary>ffmpeg's input arguments for this source (options that precede -i, then -i).</summary>
    internal IEnumerable<string> InputArguments()
    {
        if (Realtime) yield return "-re";
        if (Format is not null) { yield return "-f"; yield return Format; }
        yield return "-i";
        yield return Input is not null ? "pipe:0"
            : Format is not null || Name.Contains("://", StringComparison.Ordinal) ? Name
            : FfmpegArgs.InputUrl(Name);
    }
}
