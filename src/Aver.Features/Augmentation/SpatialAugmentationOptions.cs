namespace Aver.Features.Augmentation;

/// <summary>
/// Ranges of MRPN's spatial face augmentation (§4.4 item 1, Figure 8); the paper gives no values, these
/// are moderate ones that keep a face recognisable. Every range is symmetric around "no change"; an
/// all-zero instance (see <see cref="None"/>) is the identity.
/// </summary>
public sealed record SpatialAugmentationOptions
{
    /// <summary>Zoom factor drawn from [1 - s, 1 + s]: above 1 crops into the face, below 1 shows more border (edge pixels repeat).</summary>
    public double MaxScale { get; init; } = 0.1;
    /// <summary>Translation drawn from [-t, t] of the width and of the height: with the zoom, a random crop.</summary>
    public double MaxShift { get; init; } = 0.08;
    /// <summary>Probability of a horizontal (mirror) flip.</summary>
    public double FlipProbability { get; init; } = 0.5;
    /// <summary>Rotation in degrees drawn from [-r, r], about the image centre.</summary>
    public double MaxRotationDegrees { get; init; } = 10;
    /// <summary>Added to every value, drawn from [-b, b] (in the tensor's units: 0.2 is 20% of a 0..1 range).</summary>
    public double MaxBrightness { get; init; } = 0.1;
    /// <summary>Contrast factor drawn from [1 - c, 1 + c], applied about each channel's mean.</summary>
    public double MaxContrast { get; init; } = 0.2;

    /// <summary>Zero strength: every drawn transform is the identity.</summary>
    public static SpatialAugmentationOptions None { get; } = new()
    {
        MaxScale = 0, MaxShift = 0, FlipProbability = 0, MaxRotationDegrees = 0, MaxBrightness = 0, MaxContrast = 0,
    };

    internal void Validate()
    {
        if (!(MaxScale is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(MaxScale), MaxScale, "SpatialAugmentationOptions: zoom range must be in [0, 1)");
        if (!(MaxShift is >= 0 and <= 0.5)) throw new ArgumentOutOfRangeException(nameof(MaxShift), MaxShift, "SpatialAugmentationOptions: shift must be in [0, 0.5]");
        if (!(FlipProbability is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(FlipProbability), FlipProbability, "SpatialAugmentationOptions: flip probability must be in [0, 1]");
        if (!(MaxRotationDegrees is >= 0 and <= 180)) throw new ArgumentOutOfRangeException(nameof(MaxRotationDegrees), MaxRotationDegrees, "SpatialAugmentationOptions: rotation must be in [0, 180] degrees");
        if (!(MaxBrightness >= 0)) throw new ArgumentOutOfRangeException(nameof(MaxBrightness), MaxBrightness, "SpatialAugmentationOptions: brightness range must be non-negative");
        if (!(MaxContrast is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(MaxContrast), MaxContrast, "SpatialAugmentationOptions: contrast range must be in [0, 1)");
    }
}
