using System.Buffers.Binary;

namespace Aver.Media;

/// <summary>
/// Container, size and component count of a JPEG or PNG read from its first bytes, without decoding.
/// Batched decoding groups files by this key because one ffmpeg pipe scales every picture to the first one's size.
/// </summary>
internal readonly record struct ImageHeader(string Demuxer, int Width, int Height, int Components)
{
    /// <summary>The header of <paramref name="path"/>, or null when it is not a readable JPEG/PNG.</summary>
    public static ImageHeader? TryRead(string path)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
            var head = new byte[Math.Min(fs.Length, 64 * 1024)];
            int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return Parse(head.AsSpan(0, n));
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static ImageHeader? Parse(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 26 && b[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])
            && b[12..16].SequenceEqual("IHDR"u8))
            return new ImageHeader("png_pipe", BinaryPrimitives.ReadInt32BigEndian(b[16..]), BinaryPrimitives.ReadInt32BigEndian(b[20..]), b[25]);
        if (b.Length < 4 || b[0] != 0xFF || b[1] != 0xD8) return null;
        int i = 2;
        while (i + 4 <= b.Length)
        {
            if (b[i] != 0xFF) return null;
            byte m = b[i + 1];
            if (m == 0xFF) { i++; continue; }                          // fill byte
            if (m is 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; }  // markers without a length
            int len = BinaryPrimitives.ReadUInt16BigEndian(b[(i + 2)..]);
            bool sof = m is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (sof)
            {
                if (i + 10 > b.Length) return null;
                return new ImageHeader("jpeg_pipe", BinaryPrimitives.ReadUInt16BigEndian(b[(i + 7)..]),
                                       BinaryPrimitives.ReadUInt16BigEndian(b[(i + 5)..]), b[i + 9]);
            }
            if (m == 0xDA) return null;                                 // scan data before a frame header
            i += 2 + len;
        }
        return null;
    }
}
