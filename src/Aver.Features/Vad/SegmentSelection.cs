using Aver.Features.Avef;
using Aver.Tensors;

namespace Aver.Features.Vad;

/// <summary>AVEF's two schemes (§4): case 1 keeps every segment, case 2 drops silent ones (with their face frames).</summary>
public enum SilenceHandling
{
    /// <summary>AVEF case 1: all segments.</summary>
    KeepAll,
    /// <summary>AVEF case 2: segments whose speech fraction is below the threshold are dropped.</summary>
    DropSilent,
}

/// <summary>The segments kept, with the indices (into the input) of those kept, so face segments can follow.</summary>
public sealed record SelectedSegments(AvefAudioSegments Segments, int[] Kept, double[] SpeechFractions);

/// <summary>Applies VAD decisions to AVEF segments (§2.1.1 "VAD &amp; weight assigning").</summary>
public static class SegmentSelection
{
    /// <summary>
    /// Keeps all segments or those whose frames are at least <paramref name="minSpeechFraction"/> speech.
    /// <paramref name="decisions"/> are per AVEF frame (<see cref="SohnVad.Detect(Aver.Media.AudioBuffer, SohnVadOptions?, AvefAudioOptions?)"/>);
    /// frames past their end (zero padding of a short clip) count as silence. If every segment is silent,
    /// the one with the most speech is kept, so a clip always yields a sample.
    /// </summary>
    public static SelectedSegments Apply(AvefAudioSegments segments, ReadOnlySpan<byte> decisions, SilenceHandling handling = SilenceHandling.DropSilent,
        double minSpeechFraction = 0.5)
    {
        int n = segments.Count, framesPerSegment = segments.Stacks.Dim(3); // stacks are [segments, 3, mels, frames]
        var fractions = new double[n];
        for (int s = 0; s < n; s++)
            fractions[s] = SohnVad.SpeechFraction(decisions, segments.FirstFrames[s], framesPerSegment);
        var kept = new List<int>(n);
        for (int s = 0; s < n; s++)
            if (handling == SilenceHandling.KeepAll || fractions[s] >= minSpeechFraction) kept.Add(s);
        if (kept.Count == 0 && n > 0) kept.Add(Array.IndexOf(fractions, fractions.Max()));
        if (kept.Count == n) return new SelectedSegments(segments, [.. kept], fractions);

        var stacks = segments.Stacks;
        int per = stacks.Size / n;
        var shape = stacks.Shape.ToArray();
        shape[0] = kept.Count;
        var data = new float[kept.Count * per];
        for (int i = 0; i < kept.Count; i++) stacks.Data.AsSpan(kept[i] * per, per).CopyTo(data.AsSpan(i * per));
        var selected = new AvefAudioSegments(new Tensor(data, shape),
            kept.Select(s => segments.FirstFrames[s]).ToArray(), kept.Select(s => segments.Times[s]).ToArray());
        return new SelectedSegments(selected, [.. kept], fractions);
    }
}
