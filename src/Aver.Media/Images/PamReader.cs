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
        var line = ReadLine(s, file);
        if (line is null) return null;
        if (line != "P7") throw new MediaException(file, $"ffmpeg wrote an unexpected picture header '{line}'");
        while (true)
        {
            line = ReadLine(s, file) ?? throw new MediaException(file, "ffmpeg's picture stream ended inside a header");
            if (line == "ENDHDR") break;
            var parts = line.Split(' ', 2);
            if (parts.Length < 2) continue;
            switch (parts[0])
            {
                case "WIDTH": width = Number(parts, file); break;
                case "HEIGHT": height = Number(parts, file); break;
                case "DEPTH": depth = Number(parts, file); break;
                case "MAXVAL": maxval = Number(parts, file); break;
            }
        }
        if (maxval != 255 || depth is not (1 or 3))
            throw new MediaException(file, $"ffmpeg wrote a PAM picture with depth {depth} and maxval {maxval} (8-bit gray or RGB expected)");
        // Sizes checked before the buffer is made: a corrupt header must not allocate gigabytes or overflow (found by fuzzing).
        if (width is < 1 or > MaxSide || height is < 1 or > MaxSide)
            throw new MediaException(file, $"ffmpeg wrote a PAM picture of {width}x{height} (sides from 1 to {MaxSide} expected)");
        var data = new byte[width * height * depth];
        if (s.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) < data.Length)
            throw new MediaException(file, "ffmpeg's picture stream ended inside a picture");
        return new Image(width, height, depth, data);
    }

    /// <summary>The largest side accepted: 16384 squared by 3 channels stays well inside an array.</summary>
    private const int MaxSide = 16384;

    /// <summary>The value of a header line such as "WIDTH 640"; anything but a whole number is a MediaException naming the file.</summary>
    private static int Number(string[] parts, string file) =>
        int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v)
            ? v : throw new MediaException(file, $"ffmpeg wrote a PAM header line '{parts[0]} {parts[1]}' that is not a whole number");

    private static string? ReadLine(Stream s, string file)
    {
        var sb = new StringBuilder();
        while (true)
        {
            int b = s.ReadByte();
            if (b < 0) return sb.Length == 0 ? null : sb.ToString();
            if (b == '\n') return sb.ToString();
            if (sb.Length > 256) throw new MediaException(file, "ffmpeg wrote a PAM header line longer than 256 characters");
            sb.Append((char)b);
        }
    }
}
