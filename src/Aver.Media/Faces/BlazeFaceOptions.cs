namespace Aver.Media;

/// <summary>
/// BlazeFace settings; the defaults are MediaPipe's for the short-range (front) model
/// (face_detection_short_range.pbtxt): min score 0.5, raw scores clipped to ±100 before the sigmoid,
/// weighted non-maximum suppression at IoU 0.3.
/// </summary>
public sealed record BlazeFaceOptions
{
    /// <summary>The .onnx file; null finds it (AVER_BLAZEFACE_MODEL, then third_party/ as setup.sh installs it).</summary>
    public string? ModelPath { get; init; }
    public float MinScore { get; init; } = 0.5f;
    public float ScoreClip { get; init; } = 100f;
    public float SuppressionIoU { get; init; } = 0.3f;
    /// <summary>Frames per forward pass.</summary>
    public int BatchSize { get; init; } = 8;
}
