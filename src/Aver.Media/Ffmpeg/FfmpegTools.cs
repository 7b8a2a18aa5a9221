namespace Aver.Media;

/// <summary>
/// Where the ffmpeg and ffprobe executables are: the environment variables AVER_FFMPEG / AVER_FFPROBE,
/// else the names on PATH (Debian's packages, installed by setup.sh).
/// </summary>
public static class FfmpegTools
{
    public static string Ffmpeg { get; set; } = Environment.GetEnvironmentVariable("AVER_FFMPEG") is { Length: > 0 } f ? f : "ffmpeg";
    public static string Ffprobe { get; set; } = Environment.GetEnvironmentVariable("AVER_FFPROBE") is { Length: > 0 } p ? p : "ffprobe";

    /// <summary>Decoder threads per ffmpeg process (0 = ffmpeg decides). Several engineers share 2 cores, so the default is 2.</summary>
    public static int Threads { get; set; } = 2;
}
