using System.Buffers.Binary;

namespace Aver.Media;

/// <summary>
/// Detects a cut MP4/MOV without decoding: walks the top-level boxes and checks that the last one ends
/// inside the file. Needed because RAVDESS-style files keep their index ('moov') first, so ffmpeg opens a
/// truncated copy without complaint and silently decodes less.
/// </summary>
internal static class IsoBmffCheck
{
    /// <summary>Throws a <see cref="MediaException"/> when <paramref name="path"/> is an ISO-BMFF file whose boxes run past its end.</summary>
    public static void ThrowIfTruncated(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        long length = fs.Length, pos = 0;
        Span<byte> head = stackalloc byte[16];
        if (fs.ReadAtLeast(head[..8], 8, throwOnEndOfStream: false) < 8 || !head[4..8].SequenceEqual("ftyp"u8)) return;
        while (pos < length)
        {
            fs.Position = pos;
            int got = fs.ReadAtLeast(head, 16, throwOnEndOfStream: false);
            if (got < 8) throw Truncated(path, pos, length, "a box header");
            ulong size = BinaryPrimitives.ReadUInt32BigEndian(head);
            string type = System.Text.Encoding.ASCII.GetString(head[4..8]);
            if (size == 1)
            {
                if (got < 16) throw Truncated(path, pos, length, $"the '{type}' box header");
                size = BinaryPrimitives.ReadUInt64BigEndian(head[8..]);
            }
            else if (size == 0) return;   // "extends to the end of the file"
            if (size < 8) throw new MediaException(path, $"corrupt MP4/MOV: box '{type}' at byte {pos} has size {size}");
            // Compared as unsigned against what is left: a 64-bit size near 2^63 would overflow pos + size (found by fuzzing).
            if (size > (ulong)(length - pos))
                throw new MediaException(path, $"truncated MP4/MOV: box '{type}' at byte {pos} needs {size} bytes but the file ends after {length - pos}");
            pos += (long)size;
        }
    }

    /// <summary>True when the file begins with an ISO-BMFF box header of a known top-level type.</summary>
    public static bool LooksLikeIsoBmff(string path)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16);
            Span<byte> head = stackalloc byte[8];
            if (fs.ReadAtLeast(head, 8, throwOnEndOfStream: false) < 8) return false;
            var type = System.Text.Encoding.ASCII.GetString(head[4..8]);
            return type is "ftyp" or "moov" or "mdat" or "free" or "skip" or "wide" or "pnot" or "uuid";
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    private static MediaException Truncated(string path, long pos, long length, string what) =>
        new(path, $"truncated MP4/MOV: the file ends inside {what} at byte {pos} of {length}");
}
