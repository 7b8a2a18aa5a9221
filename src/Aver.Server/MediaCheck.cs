using Aver.Data.Catalogs;
using Aver.Media;

namespace Aver.Server;

/// <summary>
/// Recognises an upload by probing its content (ffprobe), never by the name the client gave it, and names the file by
/// what it holds so the model's readers treat it as they treat a file of that kind on disk.
/// </summary>
public static class MediaCheck
{
    /// <summary>
    /// Probes <paramref name="upload"/> and renames it to its kind. Throws <see cref="ApiError"/> 400 for an empty upload,
    /// 415 for content ffprobe cannot open as media (not media, or an MP4 cut short), with the one-line message the CLI gives.
    /// </summary>
    public static MediaInfo Probe(TempUpload upload, string name)
    {
        MediaInfo info;
        try { info = MediaProbe.Probe(upload.FilePath); }
        catch (MediaException e)
        {
            int status = upload.Length == 0 ? StatusCodes.Status400BadRequest : StatusCodes.Status415UnsupportedMediaType;
            throw new ApiError(status, ClipNaming.Shown(e.Message, upload.FilePath, name));
        }
        upload.Rename(ExtensionOf(info));
        return info;
    }

    /// <summary>
    /// An audio-only upload gets its container's audio extension (the model then reads it as audio without probing again);
    /// anything else a neutral one, since the readers probe video themselves.
    /// </summary>
    internal static string ExtensionOf(MediaInfo info)
    {
        if (info.HasVideo) return "media";
        foreach (var part in info.Container.Split(','))
            if (FileScan.AudioExtensions.Contains(part)) return part;
        return "media";
    }
}
