namespace Aver.Media;

/// <summary>Temporal settings of <see cref="FaceTracker"/>.</summary>
public sealed record FaceTrackerOptions
{
    /// <summary>
    /// Frames held back before a frame is emitted, so a gap can be filled from the next detection and the
    /// smoothing window can look ahead. Bounds memory: at most Lookahead + one detector batch of frames.
    /// </summary>
    public int Lookahead { get; init; } = 8;
    /// <summary>Detected faces within ±SmoothRadius frames are averaged (box and key points); 0 disables smoothing.</summary>
    public int SmoothRadius { get; init; } = 2;
    /// <summary>
    /// Run the detector on every k-th frame only and interpolate the others (MediaPipe runs its detector
    /// sparsely too); 1 detects every frame. Trades accuracy on fast motion for detector time.
    /// </summary>
    public int DetectEvery { get; init; } = 1;
    /// <summary>Decoded frames buffered ahead by the reading thread, so decoding overlaps detection.</summary>
    public int DecodeAhead { get; init; } = 16;
}
