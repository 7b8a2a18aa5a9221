using Aver.Media;

namespace Aver.Data.Pipelines;

/// <summary>How the visual branch turns a face crop into network input: crop side, grey levels standardised by FER2013's training statistics.</summary>
/// <param name="Size">Crop side in pixels (48: FER2013's images).</param>
/// <param name="PixelMean">Mean of pixels/255 over the training images.</param>
/// <param name="PixelStd">Standard deviation of pixels/255 over the training images.</param>
/// <param name="Margin">Fraction added to the detector box's longer side (MRPN-style square crop).</param>
public sealed record FaceInput(int Size, float PixelMean, float PixelStd, float Margin = 0.2f)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public FaceCropOptions CropOptions => new() { Style = FaceCropStyle.Mrpn, Size = Size, Color = ImageColor.Gray, Margin = Margin };

    [System.Text.Json.Serialization.JsonIgnore]
    public PixelStandardization Pixels => new(PixelMean, PixelStd);
}
