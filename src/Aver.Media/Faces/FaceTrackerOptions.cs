namespace Aver.Media;

/// <summary>Temporal settings of <see cref="FaceTracker"/>.</summary>
public sealed record FaceTrackerOptions
{
    /// <summary>
    /// Frames held back before a frame is emitted, so a gap can be filled from the next detection and the
    /// smoothing window can look ahead (at least <see cref="DetectEvery"/> is used).
    /// </summary>
    public int Lookahead { get; init; } = 8;
    /// <summary>Detected faces within ±SmoothRadius frames are averaged (box and key points); 0 disables smoothing.</summary>
    public int SmoothRadius { get; init; } = 2;
    /// <summary>
    /// Run the detector on every k-th frame (and the last) only and interpolate the others (MediaPipe runs its
    /// detector sparsely too); 1 detects every frame. Where two consecutive probes disagree (see
    /// <see cref="RedetectIoU"/>, <see cref="RedetectScore"/>) the frames between are detected after all.
    /// On the shared RAVDESS and CREMA-D clips k = 8 keeps a face in 100% of frames and boxes at mean IoU
    /// 0.98-0.99 with detecting every frame (bench/faces/README.md); `aver faces` uses 8, the library default
    /// stays exact.
    /// </summary>
    public int DetectEvery { get; init; } = 1;
    /// <summary>
    /// With <see cref="DetectEvery"/> &gt; 1: when the best boxes of two consecutive probed frames overlap less
    /// than this (intersection over union), the frames between them are detected as well instead of interpolated.
    /// </summary>
    public float RedetectIoU { get; init; } = 0.5f;
    /// <summary>With <see cref="DetectEvery"/> &gt; 1: a probed score below this also makes the frames around it detected.</summary>
    public float RedetectScore { get; init; } = 0.6f;
    /// <summary>
    /// Frames detected per forward pass, or null for the detector's <see cref="BlazeFaceOptions.BatchSize"/>. Live input
    /// uses 1: a batch waits for its last frame to arrive.
    /// </summary>
    public int? DetectBatch { get; init; }
    /// <summary>Decoded frames buffered ahead by the reading thread, so decoding overlaps detection.</summary>
    public int DecodeAhead { get; init; } = 16;
}
