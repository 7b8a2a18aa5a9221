using System.Buffers.Binary;
using System.IO.Compression;
using Aver.Tensors.IO;

namespace Aver.Media;

/// <summary>
/// A small PNG encoder (8-bit gray or RGB, zlib via <see cref="ZLibStream"/>) for pictures a person looks at:
/// contact sheets, spectrograms, confusion matrices. Each row uses the "sub" filter, which suits
/// photographs and flat plots alike. Files are written atomically.
/// </summary>
public static class Png
{
    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/> (temporary name, then rename).</summary>
    public static void Write(string path, Image image) => AtomicFile.Write(path, s => Encode(image, s));

    /// <summary>The PNG file bytes of <paramref name="image"/>.</summary>
    public static byte[] Encode(Image image)
    {
        using var ms = new MemoryStream();
        Encode(image, ms);
        return ms.ToArray();
    }

    public static void Encode(Image image, Stream output)
    {
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), image.Height);
        ihdr[8] = 8;                                    // bit depth
        ihdr[9] = image.Channels == 3 ? (byte)2 : (byte)0;   // colour type: truecolour or greyscale
        WriteChunk(output, "IHDR"u8, ihdr);             // compression, filter, interlace: 0

        int c = image.Channels, stride = image.Width * c;
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var row = new byte[1 + stride];
            row[0] = 1;                                 // filter type 1: Sub
            for (int y = 0; y < image.Height; y++)
            {
                var src = image.Data.AsSpan(y * stride, stride);
                src[..c].CopyTo(row.AsSpan(1));
                for (int i = c; i < stride; i++) row[1 + i] = (byte)(src[i] - src[i - c]);
                z.Write(row);
            }
        }
        WriteChunk(output, "IDAT"u8, compressed.ToArray());
        WriteChunk(output, "IEND"u8, []);
    }

    private static void WriteChunk(Stream s, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        type.CopyTo(head[4..]);
        s.Write(head);
        s.Write(data);
        uint crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        s.Write(tail);
    }
}

/// <summary>CRC-32 (ISO-HDLC polynomial 0xEDB88320) as PNG chunks use it; callers start from 0xFFFFFFFF and invert at the end.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = Build();

    private static uint[] Build()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }

    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }
}
