using System.Buffers.Binary;
using System.Text;

namespace Aver.Media;

/// <summary>
/// RIFF/WAVE parsing over any stream: a file (seekable, length known) or ffmpeg's stdout pipe, where the
/// data chunk's size is a placeholder (0 or 0xFFFFFFFF) and the samples run to the end of the stream.
/// </summary>
internal static class WavStreamReader
{
    /// <summary>The parsed header; <see cref="DataBytes"/> is null when the samples run to the end of a pipe.</summary>
    public readonly record struct Header(WavInfo Info, long? DataBytes);

    /// <summary>Parses chunks up to the start of "data"; leaves the stream at the first sample byte.</summary>
    public static Header ReadHeader(Stream s, string path)
    {
        Span<byte> riff = stackalloc byte[12];
        int got = s.ReadAtLeast(riff, 12, throwOnEndOfStream: false);
        if (got < 12 || !riff[..4].SequenceEqual("RIFF"u8) || !riff[8..].SequenceEqual("WAVE"u8))
        {
            bool rf64 = got >= 4 && riff[..4].SequenceEqual("RF64"u8);
            throw new MediaException(path, rf64 ? "RF64 (over 4 GiB) WAV files are not supported by the native reader"
                                                : "not a WAV file (no RIFF/WAVE header)");
        }

        WavSampleFormat? format = null; int channels = 0, rate = 0;
        Span<byte> chunk = stackalloc byte[8];
        while (true)
        {
            if (s.ReadAtLeast(chunk, 8, throwOnEndOfStream: false) < 8)
                throw new MediaException(path, format is null ? "truncated WAV: no 'fmt ' chunk before the end of the file"
                                                              : "truncated WAV: no 'data' chunk before the end of the file");
            var id = Encoding.ASCII.GetString(chunk[..4]);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (id == "fmt ")
            {
                if (size is < 16 or > 4096) throw new MediaException(path, $"malformed WAV: 'fmt ' chunk of {size} bytes");
                var fmt = new byte[size];
                if (s.ReadAtLeast(fmt, (int)size, throwOnEndOfStream: false) < size) throw new MediaException(path, "truncated WAV: 'fmt ' chunk cut short");
                if ((size & 1) == 1) Skip(s, 1, path, id);
                (format, channels, rate) = ParseFmt(fmt, path);
            }
            else if (id == "data")
            {
                if (format is null) throw new MediaException(path, "malformed WAV: 'data' chunk before 'fmt ' chunk");
                int frameBytes = channels * format.Value.BytesPerSample();
                long? remaining = s.CanSeek ? s.Length - s.Position : null;
                long? dataBytes = size;
                if (size == 0 || size == uint.MaxValue)
                    dataBytes = remaining is long r ? r - r % frameBytes : null;   // streamed writer: run to the end
                else if (remaining is long r && size > r)
                    throw new MediaException(path, $"truncated WAV: 'data' chunk declares {size} bytes but only {r} remain");
                if (dataBytes is long d && d % frameBytes != 0)
                    throw new MediaException(path, $"truncated WAV: 'data' chunk of {d} bytes is not a whole number of {frameBytes}-byte frames");
                long frames = dataBytes is long n ? n / frameBytes : 0;
                return new Header(new WavInfo(rate, channels, format.Value, frames), dataBytes);
            }
            else Skip(s, size + (size & 1), path, id);
        }
    }

    /// <summary>Reads all sample bytes of a header whose length is known.</summary>
    public static byte[] ReadData(Stream s, Header h, string path)
    {
        long n = h.DataBytes ?? throw new InvalidOperationException("length unknown: use ReadMono for piped WAV");
        if (n > Array.MaxLength) throw new MediaException(path, $"WAV data of {n} bytes is too large to read at once");
        var bytes = new byte[n];
        if (s.ReadAtLeast(bytes, (int)n, throwOnEndOfStream: false) < n) throw new MediaException(path, "truncated WAV: sample data cut short");
        return bytes;
    }

    /// <summary>Reads a whole WAV stream as mono (mean of channels), chunk by chunk when the length is unknown.</summary>
    public static AudioBuffer ReadMono(Stream s, string path)
    {
        var h = ReadHeader(s, path);
        var info = h.Info;
        if (h.DataBytes is not null)
        {
            var mono = new float[info.Frames];
            WavCodec.Mixdown(ReadData(s, h, path), info.Format, info.Channels, mono);
            return new AudioBuffer(mono, info.SampleRate);
        }

        int frameBytes = info.Channels * info.Format.BytesPerSample();
        var buf = new byte[frameBytes * 16384];
        var output = new float[info.SampleRate * 4];
        int frames = 0, carry = 0;
        while (true)
        {
            int read = s.Read(buf, carry, buf.Length - carry);
            if (read == 0) break;   // a trailing partial frame (a killed writer) is dropped
            int have = carry + read, whole = have / frameBytes;
            if (frames + whole > output.Length) Array.Resize(ref output, Math.Max(output.Length * 2, frames + whole));
            WavCodec.Mixdown(buf.AsSpan(0, whole * frameBytes), info.Format, info.Channels, output.AsSpan(frames, whole));
            frames += whole;
            carry = have - whole * frameBytes;
            buf.AsSpan(whole * frameBytes, carry).CopyTo(buf);
        }
        return new AudioBuffer(output[..frames], info.SampleRate);
    }

    private static void Skip(Stream s, long n, string path, string chunkId)
    {
        if (s.CanSeek)
        {
            if (s.Position + n > s.Length) throw new MediaException(path, $"truncated WAV: '{chunkId.Trim()}' chunk runs past the end of the file");
            s.Seek(n, SeekOrigin.Current);
            return;
        }
        Span<byte> trash = stackalloc byte[4096];
        while (n > 0)
        {
            int got = s.Read(trash[..(int)Math.Min(n, trash.Length)]);
            if (got == 0) throw new MediaException(path, $"truncated WAV: '{chunkId.Trim()}' chunk runs past the end of the stream");
            n -= got;
        }
    }

    private static (WavSampleFormat, int Channels, int Rate) ParseFmt(ReadOnlySpan<byte> fmt, string path)
    {
        ushort code = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        int rate = BinaryPrimitives.ReadInt32LittleEndian(fmt[4..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        if (code == WavSampleFormats.FormatExtensible)
        {
            if (fmt.Length < 40) throw new MediaException(path, $"malformed WAV: WAVE_FORMAT_EXTENSIBLE with a {fmt.Length}-byte 'fmt ' chunk (40 expected)");
            // The container size (bits) fixes the layout; fewer valid bits are left-justified, so scaling by the container is right.
            code = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
        }
        if (channels <= 0) throw new MediaException(path, "malformed WAV: zero channels");
        if (rate <= 0) throw new MediaException(path, $"malformed WAV: sample rate {rate}");
        var format = WavSampleFormats.FromCode(code, bits)
            ?? throw new WavEncodingNotSupportedException(path, $"unsupported WAV encoding: format code 0x{code:X4} with {bits} bits per sample (PCM 8/16/24/32 and float 32/64 are supported)");
        return (format, channels, rate);
    }
}

/// <summary>A well-formed WAV whose sample encoding (ADPCM, µ-law, ...) the native reader does not decode; ffmpeg may.</summary>
public sealed class WavEncodingNotSupportedException(string filePath, string problem) : MediaException(filePath, problem);
