using Aver.Features;
using Aver.Media;

namespace Aver.Inference.Live;

/// <summary>
/// The samples of a live audio stream that are still needed, as a window of the stream: appended a chunk at a time,
/// dropped from the front once no window or segment needs them. Positions are stream sample indices.
/// </summary>
internal sealed class HeldSamples(int rate)
{
    private float[] _samples = new float[1 << 16];

    /// <summary>Stream index of the first sample held.</summary>
    public long First { get; private set; }

    /// <summary>Samples held.</summary>
    public int Count { get; private set; }

    /// <summary>Stream index one past the last sample received.</summary>
    public long End => First + Count;

    public int Rate { get; } = rate;

    /// <summary>The most seconds of audio held at once.</summary>
    public double PeakSeconds { get; private set; }

    /// <summary>Drops the samples before stream index <paramref name="keepFrom"/>, then appends <paramref name="chunk"/>.</summary>
    public void Append(float[] chunk, long keepFrom)
    {
        int drop = (int)Math.Clamp(keepFrom - First, 0, Count);
        if (drop > 0)
        {
            _samples.AsSpan(drop, Count - drop).CopyTo(_samples);
            First += drop;
            Count -= drop;
        }
        if (Count + chunk.Length > _samples.Length) Array.Resize(ref _samples, Math.Max(2 * _samples.Length, Count + chunk.Length));
        chunk.CopyTo(_samples, Count);
        Count += chunk.Length;
        PeakSeconds = Math.Max(PeakSeconds, (double)Count / Rate);
    }

    /// <summary>The held samples of stream indices [start, end).</summary>
    public ReadOnlySpan<float> Span(long start, long end) => _samples.AsSpan((int)(start - First), (int)(end - start));

    /// <summary>The held part of <paramref name="window"/> as audio, or null when none of it is held.</summary>
    public AudioBuffer? Window(TimeInterval window)
    {
        long a = Math.Max(First, (long)Math.Round(window.Start * Rate)), b = Math.Min(End, (long)Math.Round(window.End * Rate));
        return b > a ? new AudioBuffer(Span(a, b).ToArray(), Rate) : null;
    }
}
