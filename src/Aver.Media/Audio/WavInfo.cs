namespace Aver.Media;

/// <summary>The header of a WAV file: rate, channels, sample format and length in frames (one sample per channel).</summary>
public sealed record WavInfo(int SampleRate, int Channels, WavSampleFormat Format, long Frames)
{
    public double Duration => (double)Frames / SampleRate;
}

/// <summary>All channels of a WAV file as float32 in [-1, 1]: <c>Channels[c][t]</c>, each of length Frames.</summary>
public sealed record WavAudio(float[][] Channels, int SampleRate, WavSampleFormat Format)
{
    public int Frames => Channels.Length == 0 ? 0 : Channels[0].Length;
}
