using System.Text;

namespace Aver.Media;

/// <summary>
/// Reads a stream of PAM pictures (Netpbm P7, what <c>ffmpeg -c:v pam -f image2pipe</c> writes): each has a
/// text header giving its own WIDTH, HEIGHT and DEPTH, so images of different sizes come through one pipe.
/// </summary>
internal static class PamReader
{
    /// <summary>The next picture, or null at a clean end of stream.</summary>
    public static Image? ReadNext(Stream s, string file)
    {
        int width = 0, height = 0, depth = 0, maxval = 255;
        var line = ReadLine(s);
        if (line is null) return null;
        if (line != "P7") throw new MediaException(file, $"ffmpeg wrote an unexpected picture header '{line}'");
        while (true)
        {
            line = ReadLine(s) ?? throw new MediaException(file, "ffmpeg's picture stream ended inside a header");
            if (line == "ENDHDR") break;
            var parts = line.Split(' ', 2);
            if (parts.Length < 2) continue;
            switch (parts[0])
            {
                case "WIDTH": width = int.Parse(parts[1]); break;
                case "HEIGHT": height = int.Parse(parts[1]); break;
                case "DEPTH": depth = int.Parse(parts[1]); break;
                case "MAXVAL": maxval = int.Parse(parts[1]); break;
            }
        }
        if (maxval != 255 || depth is not (1 or 3))
            throw new MediaException(file, $"ffmpeg wrote a PAM picture with depth {depth} and maxval {maxval} (8-bit gray or RGB expected)");
        var data = new byte[width * height * depth];
        if (s.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) < data.Length)
            throw new MediaException(file, "ffmpeg's picture stream ended inside a picture");
        return new Image(width, height, depth, data);
    }

    private static string? ReadLine(Stream s)
    {
        var sb = new StringBuilder();
        while (true)
        {
            int b = s.ReadByte();
            if (b < 0) return sb.Length == 0 ? null : sb.ToString();
            if (b == '\n') return sb.ToString();
            if (sb.Length > 256) throw new InvalidDataException("PAM header line too long");
            sb.Append((char)b);
        }
    }
}
