using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Aver.Media;

/// <summary>Sample conversions between interleaved WAV bytes and float32 in [-1, 1] (integer full scale maps to 1).</summary>
internal static class WavCodec
{
    private const float Scale8 = 1f / 128, Scale16 = 1f / 32768, Scale24 = 1f / 8388608;
    private const double Scale32 = 1.0 / 2147483648.0;

    /// <summary>Sample i (counting over all channels, interleaved) of <paramref name="data"/> as float.</summary>
    private static float Sample(ReadOnlySpan<byte> data, WavSampleFormat format, int i) => format switch
    {
        WavSampleFormat.Pcm8 => (data[i] - 128) * Scale8,
        WavSampleFormat.Pcm16 => BinaryPrimitives.ReadInt16LittleEndian(data[(2 * i)..]) * Scale16,
        WavSampleFormat.Pcm24 => ((data[3 * i] | data[3 * i + 1] << 8 | (sbyte)data[3 * i + 2] << 16)) * Scale24,
        WavSampleFormat.Pcm32 => (float)(BinaryPrimitives.ReadInt32LittleEndian(data[(4 * i)..]) * Scale32),
        WavSampleFormat.Float32 => BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]),
        WavSampleFormat.Float64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(data[(8 * i)..]),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    /// <summary>Splits interleaved bytes into <paramref name="channels"/>[c][t].</summary>
    public static void Deinterleave(ReadOnlySpan<byte> data, WavSampleFormat format, float[][] channels)
    {
        int nc = channels.Length, frames = channels[0].Length;
        if (nc == 1 && format == WavSampleFormat.Pcm16) { Pcm16ToFloat(data, channels[0]); return; }
        for (int t = 0, i = 0; t < frames; t++)
            for (int c = 0; c < nc; c++, i++) channels[c][t] = Sample(data, format, i);
    }

    /// <summary>Mean of the channels per frame into <paramref name="mono"/>.</summary>
    public static void Mixdown(ReadOnlySpan<byte> data, WavSampleFormat format, int channelCount, Span<float> mono)
    {
        if (channelCount == 1 && format == WavSampleFormat.Pcm16) { Pcm16ToFloat(data, mono); return; }
        float inv = 1f / channelCount;
        for (int t = 0, i = 0; t < mono.Length; t++)
        {
            float sum = 0;
            for (int c = 0; c < channelCount; c++, i++) sum += Sample(data, format, i);
            mono[t] = sum * inv;
        }
    }

    /// <summary>The common case (16-bit mono, e.g. the shared RAVDESS 16 kHz speech) without per-sample dispatch.</summary>
    private static void Pcm16ToFloat(ReadOnlySpan<byte> data, Span<float> dst)
    {
        var src = MemoryMarshal.Cast<byte, short>(data[..(2 * dst.Length)]);
        if (!BitConverter.IsLittleEndian) { for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReverseEndianness(src[i]) * Scale16; return; }
        for (int i = 0; i < dst.Length; i++) dst[i] = src[i] * Scale16;
    }

    /// <summary>Writes frames [start, start+count) of all channels interleaved into <paramref name="dst"/>; integers are rounded and clipped.</summary>
    public static void Interleave(IReadOnlyList<float[]> channels, int start, int count, WavSampleFormat format, Span<byte> dst)
    {
        int nc = channels.Count, i = 0;
        for (int t = start; t < start + count; t++)
            for (int c = 0; c < nc; c++, i++)
            {
                float x = channels[c][t];
                switch (format)
                {
                    case WavSampleFormat.Pcm8: dst[i] = (byte)(Quantize(x, 128) + 128); break;
                    case WavSampleFormat.Pcm16: BinaryPrimitives.WriteInt16LittleEndian(dst[(2 * i)..], (short)Quantize(x, 32768)); break;
                    case WavSampleFormat.Pcm24:
                        int v = (int)Quantize(x, 8388608);
                        dst[3 * i] = (byte)v; dst[3 * i + 1] = (byte)(v >> 8); dst[3 * i + 2] = (byte)(v >> 16); break;
                    case WavSampleFormat.Pcm32: BinaryPrimitives.WriteInt32LittleEndian(dst[(4 * i)..], (int)Quantize(x, 2147483648.0)); break;
                    case WavSampleFormat.Float32: BinaryPrimitives.WriteSingleLittleEndian(dst[(4 * i)..], x); break;
                    case WavSampleFormat.Float64: BinaryPrimitives.WriteDoubleLittleEndian(dst[(8 * i)..], x); break;
                    default: throw new ArgumentOutOfRangeException(nameof(format));
                }
            }
    }

    /// <summary>round(x * fullScale) clipped to the signed range [-fullScale, fullScale - 1]; NaN becomes 0.</summary>
    private static long Quantize(float x, double fullScale)
    {
        if (float.IsNaN(x)) return 0;
        double v = Math.Round(x * fullScale);
        return (long)Math.Clamp(v, -fullScale, fullScale - 1);
    }
}
