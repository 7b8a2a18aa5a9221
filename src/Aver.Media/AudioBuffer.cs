namespace Aver.Media;

/// <summary>
/// Mono float32 audio in [-1, 1] with its sample rate carried beside the samples
/// (DESIGN.md conventions). Times are seconds as double.
/// </summary>
public sealed record AudioBuffer(float[] Samples, int SampleRate)
{
    public double Duration => (double)Samples.Length / SampleRate;

    /// <summary>The samples in [start, end) seconds, clamped to the buffer.</summary>
    public AudioBuffer Slice(double start, double end)
    {
        int a = Math.Clamp((int)Math.Round(start * SampleRate), 0, Samples.Length);
        int b = Math.Clamp((int)Math.Round(end * SampleRate), a, Samples.Length);
        return new AudioBuffer(Samples[a..b], SampleRate);
    }
}
