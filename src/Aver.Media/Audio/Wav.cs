using System.Buffers.Binary;
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
        return WavStreamReader.ReadHeader(fs, path).Info;
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
        var header = WavStreamReader.ReadHeader(fs, path);
        var bytes = WavStreamReader.ReadData(fs, header, path);
        var info = header.Info;
        var channels = new float[info.Channels][];
        for (int c = 0; c < channels.Length; c++) channels[c] = new float[info.Frames];
        WavCodec.Deinterleave(bytes, info.Format, channels);
        return new WavAudio(channels, info.SampleRate, info.Format);
    }

    /// <summary>Reads the file as mono float32: the mean of its channels, shape [frames].</summary>
    public static AudioBuffer ReadMono(string path)
    {
        using var fs = Open(path);
        return WavStreamReader.ReadMono(fs, path);
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
}
