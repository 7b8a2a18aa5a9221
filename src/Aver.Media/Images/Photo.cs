namespace Aver.Media;

/// <summary>
/// Still pictures as input: a file is a photo when its first bytes are those of a JPEG, PNG, GIF, BMP or
/// WebP image (by content, not by name: a renamed file is still recognised, a video named .jpg is not
/// taken for one). GIFs are read by their first frame.
/// </summary>
public static class Photo
{
    /// <summary>True when <paramref name="path"/> starts like a still image.</summary>
    public static bool IsPhoto(string path)
    {
        Span<byte> head = stackalloc byte[16];
        int n;
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        return IsPhoto(head[..n]);
    }

    /// <summary>True when <paramref name="head"/> (a file's first bytes, at least 12 for WebP) is an image signature.</summary>
    public static bool IsPhoto(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])                                   // JPEG
        || head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])
        || head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)
        || head.StartsWith("BM"u8) && head.Length >= 14
        || head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8);

    /// <summary>Decodes the photo (the first frame of a GIF) as RGB; an unreadable file is a <see cref="MediaException"/> naming it.</summary>
    public static Image Load(string path) => ImageDecoder.Load(path, ImageColor.Rgb);
}
