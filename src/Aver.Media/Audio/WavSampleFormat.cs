namespace Aver.Media;

/// <summary>How one sample of a WAV file is stored.</summary>
public enum WavSampleFormat
{
    /// <summary>8-bit unsigned integer PCM (silence at 128).</summary>
    Pcm8,
    /// <summary>16-bit signed little-endian PCM.</summary>
    Pcm16,
    /// <summary>24-bit signed little-endian PCM (3 bytes per sample).</summary>
    Pcm24,
    /// <summary>32-bit signed little-endian PCM.</summary>
    Pcm32,
    /// <summary>IEEE 754 float32.</summary>
    Float32,
    /// <summary>IEEE 754 float64.</summary>
    Float64,
}

/// <summary>Byte sizes and format codes of <see cref="WavSampleFormat"/>.</summary>
public static class WavSampleFormats
{
    /// <summary>WAVE_FORMAT_PCM.</summary>
    public const ushort FormatPcm = 1;
    /// <summary>WAVE_FORMAT_IEEE_FLOAT.</summary>
    public const ushort FormatFloat = 3;
    /// <summary>WAVE_FORMAT_EXTENSIBLE: the real code sits in the first two bytes of the sub-format GUID.</summary>
    public const ushort FormatExtensible = 0xFFFE;

    public static int BytesPerSample(this WavSampleFormat f) => f switch
    {
        WavSampleFormat.Pcm8 => 1,
        WavSampleFormat.Pcm16 => 2,
        WavSampleFormat.Pcm24 => 3,
        WavSampleFormat.Pcm32 or WavSampleFormat.Float32 => 4,
        WavSampleFormat.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, "unknown WAV sample format"),
    };

    public static bool IsFloat(this WavSampleFormat f) => f is WavSampleFormat.Float32 or WavSampleFormat.Float64;

    /// <summary>The sample format for a format code (PCM or float) and bit depth, or null when unsupported.</summary>
    public static WavSampleFormat? FromCode(ushort code, int bits) => (code, bits) switch
    {
        (FormatPcm, 8) => WavSampleFormat.Pcm8,
        (FormatPcm, 16) => WavSampleFormat.Pcm16,
        (FormatPcm, 24) => WavSampleFormat.Pcm24,
        (FormatPcm, 32) => WavSampleFormat.Pcm32,
        (FormatFloat, 32) => WavSampleFormat.Float32,
        (FormatFloat, 64) => WavSampleFormat.Float64,
        _ => null,
    };
}
