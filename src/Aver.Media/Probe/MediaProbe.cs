using System.Globalization;
using System.Text.Json;

namespace Aver.Media;

/// <summary>Stream information through <c>ffprobe -show_streams -show_format</c> as JSON.</summary>
public static class MediaProbe
{
    /// <summary>
    /// Probes <paramref name="path"/>. Throws <see cref="MediaException"/> naming the file for a missing or
    /// empty file, a file that is not media, a truncated MP4/MOV, or a file with no audio or video stream.
    /// </summary>
    public static MediaInfo Probe(string path)
    {
        MediaException.ThrowIfNotReadable(path);
        IsoBmffCheck.ThrowIfTruncated(path);
        string json;
        using (var p = FfmpegProcess.Start(FfmpegTools.Ffprobe,
                   ["-v", "error", "-print_format", "json", "-show_streams", "-show_format", FfmpegArgs.InputUrl(path)], path))
        {
            var stdout = new StreamReader(p.Output).ReadToEndAsync();
            p.WaitForSuccess();
            json = stdout.GetAwaiter().GetResult();
        }
        var info = Parse(path, json);
        if (info.Audio is null && info.Video is null)
            throw new MediaException(path, info.Streams.Count == 0 ? "contains no streams" : "contains no audio or video stream");
        return info;
    }

    /// <summary>Builds a <see cref="MediaInfo"/> from ffprobe's JSON.</summary>
    internal static MediaInfo Parse(string path, string json)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new MediaException(path, "ffprobe printed unreadable JSON", e); }
        using var _ = doc;
        var root = doc.RootElement;
        if (!root.TryGetProperty("format", out var format))
            throw new MediaException(path, "not a media file ffprobe can read (no format found)");

        var streams = new List<StreamInfo>();
        AudioStreamInfo? audio = null;
        VideoStreamInfo? video = null;
        if (root.TryGetProperty("streams", out var arr))
            foreach (var s in arr.EnumerateArray())
            {
                int index = Int(s, "index") ?? streams.Count;
                string kind = Str(s, "codec_type") ?? "unknown";
                string codec = Str(s, "codec_name") ?? "unknown";
                double? duration = Double(s, "duration");
                streams.Add(new StreamInfo(index, kind, codec, duration));
                if (kind == "audio" && audio is null)
                    audio = new AudioStreamInfo(index, codec, Int(s, "sample_rate") ?? 0, Int(s, "channels") ?? 0, duration);
                else if (kind == "video" && video is null && !IsAttachedPicture(s))
                    video = Video(s, index, codec, duration);
            }

        // FLV streams carry no duration of their own: fall back on the container's.
        double? containerDuration = Double(format, "duration");
        if (video is { Duration: null }) video = video with { Duration = containerDuration };
        if (audio is { Duration: null }) audio = audio with { Duration = containerDuration };
        return new MediaInfo(path, Str(format, "format_name") ?? "unknown", containerDuration,
            (long?)Double(format, "size") ?? new FileInfo(path).Length, (long?)Double(format, "bit_rate"),
            audio, video, streams);
    }

    private static VideoStreamInfo Video(JsonElement s, int index, string codec, double? duration)
    {
        int w = Int(s, "width") ?? 0, h = Int(s, "height") ?? 0;
        int rotation = Rotation(s);
        if (Math.Abs(rotation) % 180 == 90) (w, h) = (h, w);
        // r_frame_rate is the stream's base rate; avg_frame_rate is derived from timestamps and can be
        // slightly off on FLV (989/33 for 29.97). Prefer r_frame_rate unless it is missing or absurd.
        var r = Rational.Parse(Str(s, "r_frame_rate"));
        var avg = Rational.Parse(Str(s, "avg_frame_rate"));
        var rate = r.IsValid && r.Value <= 240 ? r : avg;
        long? frames = (long?)Double(s, "nb_frames");
        return new VideoStreamInfo(index, codec, w, h, rate, frames is > 0 ? frames : null, duration, rotation, Str(s, "pix_fmt"));
    }

    private static bool IsAttachedPicture(JsonElement s) =>
        s.TryGetProperty("disposition", out var d) && d.TryGetProperty("attached_pic", out var a) && a.ValueKind == JsonValueKind.Number && a.GetInt32() == 1;

    /// <summary>Degrees from the display matrix side data or the legacy "rotate" tag.</summary>
    private static int Rotation(JsonElement s)
    {
        if (s.TryGetProperty("side_data_list", out var list))
            foreach (var sd in list.EnumerateArray())
                if (Double(sd, "rotation") is double deg) return (int)Math.Round(deg);
        if (s.TryGetProperty("tags", out var tags) && Int(tags, "rotate") is int r) return r;
        return 0;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText() : null;

    private static double? Double(JsonElement e, string name) =>
        double.TryParse(Str(e, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null;

    private static int? Int(JsonElement e, string name) => Double(e, name) is double d ? (int)d : null;
}
