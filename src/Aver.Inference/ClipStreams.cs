using Aver.Data.Catalogs;
using Aver.Media;

namespace Aver.Inference;

/// <summary>Which streams a clip has and how long it is, found before any branch runs.</summary>
public readonly record struct ClipStreams(bool HasAudio, bool HasVideo, double Duration)
{
    /// <summary>True when the extension names an audio file (such a file needs no probe: audio, no video).</summary>
    public static bool IsAudioFile(string path) =>
        FileScan.AudioExtensions.Contains(Path.GetExtension(path).TrimStart('.').ToLowerInvariant());

    /// <summary>
    /// An audio file (by its extension) is taken as audio only, its duration left to decoding (0);
    /// anything else is probed once. Throws <see cref="MediaException"/>, naming the file, when it
    /// cannot be read or has neither stream.
    /// </summary>
    public static ClipStreams Of(string path)
    {
        if (IsAudioFile(path)) return new(true, false, 0);
        var info = MediaProbe.Probe(path);
        if (!info.HasAudio && !info.HasVideo) throw new MediaException(path, "has neither an audio nor a video stream");
        return new(info.HasAudio, info.HasVideo, info.Duration ?? info.Audio?.Duration ?? info.Video?.Duration ?? 0);
    }
}
