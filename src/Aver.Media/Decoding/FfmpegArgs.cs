namespace Aver.Media;

/// <summary>The argument lists Aver hands to ffmpeg, in one place so every decoder starts the same way.</summary>
internal static class FfmpegArgs
{
    /// <summary>
    /// Common head: no stdin, errors only, bounded threads (<paramref name="threads"/> or <see cref="FfmpegTools.Threads"/>), then the input. The "file:" prefix keeps a
    /// path with a colon or a leading dash from being read as a protocol or an option.
    /// </summary>
    public static List<string> Input(string path, int? threads = null) =>
        ["-nostdin", "-hide_banner", "-v", "error", "-threads", (threads ?? FfmpegTools.Threads).ToString(), "-i", InputUrl(path)];

    public static string InputUrl(string path) => "file:" + Path.GetFullPath(path);
}
