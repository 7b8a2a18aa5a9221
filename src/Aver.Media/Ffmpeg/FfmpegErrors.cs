using System.Text.RegularExpressions;

namespace Aver.Media;

/// <summary>Turns ffmpeg/ffprobe stderr into one clear sentence about the file.</summary>
internal static partial class FfmpegErrors
{
    /// <summary>The exception for a failed run; <paramref name="missingStream"/> ("audio"/"video") names what was asked for.</summary>
    public static MediaException ToException(string file, string stderr, string? missingStream = null) =>
        new(file, Describe(stderr, missingStream, IsoBmffCheck.LooksLikeIsoBmff(file)));

    /// <param name="isoBmff">Whether the file starts like an MP4/MOV: a missing 'moov' then means a cut file, otherwise not an MP4 at all.</param>
    public static string Describe(string stderr, string? missingStream = null, bool isoBmff = true)
    {
        if (stderr.Contains("No such file or directory")) return "file not found";
        if (stderr.Contains("moov atom not found"))
            return isoBmff ? "truncated or incomplete MP4/MOV: its 'moov' index is missing"
                           : "not a media file ffmpeg can read (no MP4/MOV structure despite its name)";
        if (missingStream is not null && (stderr.Contains("matches no streams") || stderr.Contains("does not contain any stream")))
            return $"has no {missingStream} track";
        if (stderr.Contains("Invalid data found when processing input")) return "not a media file ffmpeg can read (unrecognised or corrupt data)";
        if (stderr.Contains("partial file") || stderr.Contains("Truncat", StringComparison.OrdinalIgnoreCase)) return "truncated: the file ends before its media data does";
        if (stderr.Contains("Permission denied")) return "permission denied";
        var line = FirstMeaningfulLine(stderr);
        return line is null ? "ffmpeg failed without a message" : $"ffmpeg failed: {line}";
    }

    /// <summary>True when a run that exited 0 still reported that the input was cut short.</summary>
    public static bool ReportsTruncation(string stderr) =>
        stderr.Contains("partial file") || stderr.Contains("Truncat", StringComparison.OrdinalIgnoreCase);

    private static string? FirstMeaningfulLine(string stderr)
    {
        foreach (var raw in stderr.Split('\n'))
        {
            // "[h264 @ 0x55...] message" -> "message (h264)"
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var m = ContextPrefix().Match(line);
            return m.Success ? $"{m.Groups[2].Value} ({m.Groups[1].Value})" : line;
        }
        return null;
    }

    [GeneratedRegex(@"^\[([^\s@\]]+) @ 0x[0-9a-f]+\]\s*(.*)$")]
    private static partial Regex ContextPrefix();
}
