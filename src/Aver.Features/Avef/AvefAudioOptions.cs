using Aver.Features.Spectral;

namespace Aver.Features.Avef;

/// <summary>
/// The AVEF audio front end's parameters (AVEF §2.1.1); defaults are the paper's: 16 kHz mono,
/// pre-emphasis 0.97, 25-ms Hamming frames every 10 ms, 512-point rfft, 64 HTK mel bands over
/// 0-8 kHz, log(mel + 0.01), deltas with N = 2, 64-frame segments overlapping by 30 frames.
/// </summary>
public sealed record AvefAudioOptions
{
    public int SampleRate { get; init; } = 16000;
    public float PreEmphasis { get; init; } = 0.97f;
    /// <summary>Frame length in samples (25 ms).</summary>
    public int FrameLength { get; init; } = 400;
    /// <summary>Frame shift in samples (10 ms).</summary>
    public int FrameShift { get; init; } = 160;
    /// <summary>rfft length; the 400-sample frame is zero-padded to it.</summary>
    public int NFft { get; init; } = 512;
    /// <summary>Periodic Hamming (torch.hamming_window's default) unless false.</summary>
    public bool PeriodicWindow { get; init; } = true;
    public int Mels { get; init; } = 64;
    public double FMin { get; init; }
    public double FMax { get; init; } = 8000;
    public MelScale MelScale { get; init; } = MelScale.Htk;
    public MelNorm MelNorm { get; init; } = MelNorm.None;
    /// <summary>The 0.01 in eq. 2.1, log(mel |rfft|^2 + 0.01).</summary>
    public float LogOffset { get; init; } = 0.01f;
    /// <summary>N of eq. 2.2.</summary>
    public int DeltaN { get; init; } = 2;
    public int FramesPerSegment { get; init; } = 64;
    public int OverlapFrames { get; init; } = 30;
    [System.Text.Json.Serialization.JsonIgnore]
    public int SegmentStepFrames => FramesPerSegment - OverlapFrames;

    internal void Validate()
    {
        if (FrameLength > NFft) throw new ArgumentException($"AvefAudioOptions: frame length {FrameLength} exceeds n_fft {NFft}");
        if (SegmentStepFrames < 1) throw new ArgumentException($"AvefAudioOptions: overlap {OverlapFrames} must be less than {FramesPerSegment} frames");
    }

    /// <summary>The time span [start, end) of analysis frame <paramref name="frame"/>: [shift f, shift f + length) samples.</summary>
    public TimeInterval FrameTime(int frame) =>
        new((double)frame * FrameShift / SampleRate, ((double)frame * FrameShift + FrameLength) / SampleRate);

    /// <summary>The span of the segment whose first frame is <paramref name="firstFrame"/> (655 ms by default).</summary>
    public TimeInterval SegmentTime(int firstFrame) =>
        new(FrameTime(firstFrame).Start, FrameTime(firstFrame + FramesPerSegment - 1).End);
}
