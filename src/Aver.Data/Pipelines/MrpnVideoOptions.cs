using System.Globalization;
using Aver.Features.Augmentation;
using Aver.Media;

namespace Aver.Data.Pipelines;

/// <summary>
/// MRPN's visual input (§4.4 item 1): square face crops around the detector's box, at a fixed frame
/// rate, resized to <see cref="FaceSize"/> pixels, RGB or grey. The defaults are a CPU-sized version of
/// the paper's (the paper does not give its crop size or rate; RAVDESS is filmed at 29.97 fps).
/// </summary>
public sealed record MrpnVideoOptions
{
    /// <summary>Side of the square crops in pixels.</summary>
    public int FaceSize { get; init; } = 112;
    /// <summary>Rgb (3 channels) or Gray (1 channel, as the FER2013-pretrained extractor expects).</summary>
    public ImageColor Color { get; init; } = ImageColor.Rgb;
    /// <summary>Frames per second decoded from the clip; frame i lies at i / Fps seconds.</summary>
    public double Fps { get; init; } = 10;
    /// <summary>Fraction added to the detector box's longer side (<see cref="FaceCropOptions.Margin"/>).</summary>
    public float Margin { get; init; } = 0.25f;
    /// <summary>Frames are decoded with their longer side at most this many pixels before detection.</summary>
    public int DecodeSide { get; init; } = 640;
    /// <summary>Pixels are scaled to [0, 1], then standardised: (x - PixelMean) / PixelStd (not part of the cache key).</summary>
    public float PixelMean { get; init; } = 0.5f;
    /// <summary>See <see cref="PixelMean"/>.</summary>
    public float PixelStd { get; init; } = 0.25f;

    /// <summary>
    /// Spatial augmentation of training clips (MRPN §4.4 item 1, Figure 8: one random zoom, shift, flip,
    /// rotation, brightness and contrast for all frames of a clip), on the standardised frames; null for none.
    /// </summary>
    public SpatialAugmentationOptions? Spatial { get; init; }

    /// <summary>Channels of one crop.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Channels => (int)Color;

    /// <summary>Throws naming the first invalid option.</summary>
    public void Validate()
    {
        if (FaceSize < 1) throw new ArgumentOutOfRangeException(nameof(FaceSize), FaceSize, "MrpnVideoOptions: face size must be positive");
        if (!(Fps > 0)) throw new ArgumentOutOfRangeException(nameof(Fps), Fps, "MrpnVideoOptions: frame rate must be positive");
        if (!(Margin >= 0)) throw new ArgumentOutOfRangeException(nameof(Margin), Margin, "MrpnVideoOptions: margin must not be negative");
        if (DecodeSide < 16) throw new ArgumentOutOfRangeException(nameof(DecodeSide), DecodeSide, "MrpnVideoOptions: decode side must be at least 16");
        if (!(PixelStd > 0)) throw new ArgumentOutOfRangeException(nameof(PixelStd), PixelStd, "MrpnVideoOptions: pixel deviation must be positive");
    }

    /// <summary>The parameters that change the crops (everything but the standardisation), culture-invariant, for cache keys.</summary>
    public string CacheParameters(FaceTrackerOptions tracker) => string.Create(CultureInfo.InvariantCulture,
        $"size={FaceSize};color={Color};fps={Fps:R};margin={Margin:R};side={DecodeSide};skip_b=1;detector=blazeface-front-128;{tracker}");
}
