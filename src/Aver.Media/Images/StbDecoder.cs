using StbImageSharp;

namespace Aver.Media;

/// <summary>
/// In-process decoding of JPEG, PNG, BMP and GIF (first frame) with StbImageSharp (a C# port of stb_image):
/// no process to start, so a single photo decodes in well under a millisecond where an ffmpeg process takes
/// tens. Formats it does not read (WebP, and anything unusual) return null and go to ffmpeg.
/// </summary>
public static class StbDecoder
{
    /// <summary>The image at <paramref name="path"/> as <paramref name="color"/>, or null when stb_image cannot decode it.</summary>
    public static Image? TryLoad(string path, ImageColor color = ImageColor.Rgb)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new MediaException(path, $"cannot be read ({e.Message})"); }
        return TryDecode(bytes, color);
    }

    /// <summary>Decodes an image held in memory; null when stb_image cannot.</summary>
    public static Image? TryDecode(byte[] bytes, ImageColor color = ImageColor.Rgb)
    {
        try
        {
            var r = ImageResult.FromMemory(bytes, color == ImageColor.Gray ? ColorComponents.Grey : ColorComponents.RedGreenBlue);
            return r.Width > 0 && r.Height > 0 ? new Image(r.Width, r.Height, (int)color, r.Data) : null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NotSupportedException) { return null; }
    }
}
