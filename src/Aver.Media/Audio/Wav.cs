using System.Buffers.Binary;
using System.Text;
using Aver.Tensors.IO;

namespace Aver.Media;

/// <summary>
/// Native RIFF/WAVE reader and writer: PCM 8/16/24/32-bit and IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE,
/// any channel count. The common audio path needs no subprocess. Mono is the mean of the channels (AVEF §2.1.1).
/// </summary>
public static class Wav
{
    /// <summary>Reads only the header (rate, channels, format, frames).</summary>
    public static WavInfo ReadInfo(string path)
    {
        using var fs = Open(path);
        return ReadHeader(fs, path).Info;
    }

    /// <summary>True when the file starts with a RIFF/WAVE signature (cheap check, no full parse).</summary>
    public static bool IsWav(string path)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16);
            Span<byte> head = stackalloc byte[12];
            return fs.ReadAtLeast(head, 12, throwOnEndOfStream: false) == 12
                && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8);
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    /// <summary>Reads every channel as float32 in [-1, 1].</summary>
    public static WavAudio Read(string path)
    {
        using var fs = Open(path);
        var (info, _) = ReadHeader(fs, path);
        var bytes = ReadData(fs, info, path);
        var channels = new float[info.Channels][];
        for (int c = 0; c < channels.Length; c++) channels[c] = new float[info.Frames];
        WavCodec.Deinterleave(bytes, info.Format, channels);
        return new WavAudio(channels, info.SampleRate, info.Format);
    }

    /// <summary>Reads the file as mono float32: the mean of its channels, shape [frames].</summary>
    public static AudioBuffer ReadMono(string path)
    {
        using var fs = Open(path);
        var (info, _) = ReadHeader(fs, path);
        var bytes = ReadData(fs, info, path);
        var mono = new float[info.Frames];
        WavCodec.Mixdown(bytes, info.Format, info.Channels, mono);
        return new AudioBuffer(mono, info.SampleRate);
    }

    /// <summary>Writes mono audio (clipped to [-1, 1] for integer formats) atomically.</summary>
    public static void Write(string path, AudioBuffer audio, WavSampleFormat format = WavSampleFormat.Pcm16) =>
        Write(path, [audio.Samples], audio.SampleRate, format);

    /// <summary>
    /// Writes <paramref name="channels"/>[c][t] (all the same length) atomically. More than two channels,
    /// or integer samples wider than 16 bits, use WAVE_FORMAT_EXTENSIBLE as the format specification asks.
    /// </summary>
    public static void Write(string path, IReadOnlyList<float[]> channels, int sampleRate, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        if (channels.Count == 0) throw new ArgumentException($"{path}: no channels to write", nameof(channels));
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"{path}: sample rate must be positive");
        int frames = channels[0].Length;
        for (int c = 1; c < channels.Count; c++)
            if (channels[c].Length != frames)
                throw new ArgumentException($"{path}: channel {c} has {channels[c].Length} samples, channel 0 has {frames}", nameof(channels));

        int bps = format.BytesPerSample();
        long dataBytes = (long)frames * channels.Count * bps;
        bool extensible = channels.Count > 2 || (!format.IsFloat() && bps > 2);
        int fmtSize = extensible ? 40 : format.IsFloat() ? 18 : 16;
        long riffSize = 4 + (8 + fmtSize) + (8 + dataBytes + (dataBytes & 1));
        if (riffSize > uint.MaxValue) throw new ArgumentException($"{path}: {dataBytes} bytes of samples exceed the 4 GiB RIFF limit");

        var header = new byte[12 + 8 + fmtSize + 8];
        var h = header.AsSpan();
        "RIFF"u8.CopyTo(h); BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)riffSize); "WAVE"u8.CopyTo(h[8..]);
        "fmt "u8.CopyTo(h[12..]); BinaryPrimitives.WriteInt32LittleEndian(h[16..], fmtSize);
        var f = h[20..];
        ushort code = format.IsFloat() ? WavSampleFormats.FormatFloat : WavSampleFormats.FormatPcm;
        BinaryPrimitives.WriteUInt16LittleEndian(f, extensible ? WavSampleFormats.FormatExtensible : code);
        BinaryPrimitives.WriteUInt16LittleEndian(f[2..], (ushort)channels.Count);
        BinaryPrimitives.WriteInt32LittleEndian(f[4..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(f[8..], sampleRate * channels.Count * bps);
        BinaryPrimitives.WriteUInt16LittleEndian(f[12..], (ushort)(channels.Count * bps));
        BinaryPrimitives.WriteUInt16LittleEndian(f[14..], (ushort)(bps * 8));
        if (fmtSize >= 18) BinaryPrimitives.WriteUInt16LittleEndian(f[16..], (ushort)(fmtSize - 18));
        if (extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(f[18..], (ushort)(bps * 8));      // valid bits
            BinaryPrimitives.WriteUInt32LittleEndian(f[20..], 0);                       // channel mask: unspecified
            BinaryPrimitives.WriteUInt16LittleEndian(f[24..], code);                    // sub-format GUID ...
            KsDataFormatTail.CopyTo(f[26..]);                                           // ... 0000-0010-8000-00AA00389B71
        }
        "data"u8.CopyTo(h[(20 + fmtSize)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[(24 + fmtSize)..], (uint)dataBytes);

        AtomicFile.Write(path, s =>
        {
            s.Write(header);
            const int chunkFrames = 8192;
            var buf = new byte[chunkFrames * channels.Count * bps];
            for (int start = 0; start < frames; start += chunkFrames)
            {
                int n = Math.Min(chunkFrames, frames - start);
                WavCodec.Interleave(channels, start, n, format, buf);
                s.Write(buf, 0, n * channels.Count * bps);
            }
            if ((dataBytes & 1) == 1) s.WriteByte(0);   // RIFF chunks are word-aligned
        });
    }

    /// <summary>Bytes 2..15 of KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT (the first two are the format code).</summary>
    private static ReadOnlySpan<byte> KsDataFormatTail =>
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    private static FileStream Open(string path)
    {
        MediaException.ThrowIfNotReadable(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    /// <summary>Parses chunks up to the start of "data"; leaves the stream at the first sample byte.</summary>
    private static (WavInfo Info, long DataBytes) ReadHeader(FileStream fs, string path)
    {
        Span<byte> riff = stackalloc byte[12];
        if (fs.ReadAtLeast(riff, 12, throwOnEndOfStream: false) < 12 || !riff[..4].SequenceEqual("RIFF"u8) || !riff[8..].SequenceEqual("WAVE"u8))
        {
            bool rf64 = riff[..4].SequenceEqual("RF64"u8);
            throw new MediaException(path, rf64 ? "RF64 (over 4 GiB) WAV files are not supported by the native reader"
                                                : "not a WAV file (no RIFF/WAVE header)");
        }

        WavSampleFormat? format = null; int channels = 0, rate = 0;
        Span<byte> chunk = stackalloc byte[8];
        while (true)
        {
            if (fs.ReadAtLeast(chunk, 8, throwOnEndOfStream: false) < 8)
                throw new MediaException(path, format is null ? "truncated WAV: no 'fmt ' chunk before the end of the file"
                                                              : "truncated WAV: no 'data' chunk before the end of the file");
            var id = Encoding.ASCII.GetString(chunk[..4]);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (id == "fmt ")
            {
                if (size < 16) throw new MediaException(path, $"malformed WAV: 'fmt ' chunk of {size} bytes (at least 16 expected)");
                var fmt = new byte[size];
                if (fs.ReadAtLeast(fmt, (int)size, throwOnEndOfStream: false) < size) throw new MediaException(path, "truncated WAV: 'fmt ' chunk cut short");
                if ((size & 1) == 1) fs.Seek(1, SeekOrigin.Current);
                (format, channels, rate) = ParseFmt(fmt, path);
            }
            else if (id == "data")
            {
                if (format is null) throw new MediaException(path, "malformed WAV: 'data' chunk before 'fmt ' chunk");
                int frameBytes = channels * format.Value.BytesPerSample();
                long remaining = fs.Length - fs.Position;
                long dataBytes = size;
                // Streamed writers (ffmpeg to a pipe) leave 0 or 0xFFFFFFFF: the samples run to the end of the file.
                if (size == 0 || size == uint.MaxValue) dataBytes = remaining - remaining % frameBytes;
                else if (dataBytes > remaining)
                    throw new MediaException(path, $"truncated WAV: 'data' chunk declares {dataBytes} bytes but only {remaining} remain");
                if (dataBytes % frameBytes != 0)
                    throw new MediaException(path, $"truncated WAV: 'data' chunk of {dataBytes} bytes is not a whole number of {frameBytes}-byte frames");
                return (new WavInfo(rate, channels, format.Value, dataBytes / frameBytes), dataBytes);
            }
            else
            {
                long skip = size + (size & 1);
                if (fs.Position + skip > fs.Length) throw new MediaException(path, $"truncated WAV: '{id.Trim()}' chunk runs past the end of the file");
                fs.Seek(skip, SeekOrigin.Current);
            }
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
            code = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
            // Container bits decide the layout; valid bits (fmt[18..]) below that are left-justified, so scaling by the container is right.
        }
        if (channels <= 0) throw new MediaException(path, "malformed WAV: zero channels");
        if (rate <= 0) throw new MediaException(path, $"malformed WAV: sample rate {rate}");
        var format = WavSampleFormats.FromCode(code, bits)
            ?? throw new MediaException(path, $"unsupported WAV encoding: format code 0x{code:X4} with {bits} bits per sample (PCM 8/16/24/32 and float 32/64 are supported)");
        return (format, channels, rate);
    }

    private static byte[] ReadData(FileStream fs, WavInfo info, string path)
    {
        long n = info.Frames * info.Channels * info.Format.BytesPerSample();
        if (n > Array.MaxLength) throw new MediaException(path, $"WAV data of {n} bytes is too large to read at once");
        var bytes = new byte[n];
        if (fs.ReadAtLeast(bytes, (int)n, throwOnEndOfStream: false) < n) throw new MediaException(path, "truncated WAV: sample data cut short");
        return bytes;
    }
}
