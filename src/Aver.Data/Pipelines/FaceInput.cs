using System.Text.Json.Serialization;
using Aver.Media;

namespace Aver.Data.Pipelines;

/// <summary>How the visual branch turns a face crop into network input: crop side, grey levels standardised by FER2013's training statistics.</summary>
/// <param name="Size">Crop side in pixels (48: FER2013's images).</param>
/// <param name="PixelMean">Mean of pixels/255 over the training images.</param>
/// <param name="PixelStd">Standard deviation of pixels/255 over the training images.</param>
/// <param name="Margin">Fraction added to the detector box's longer side (MRPN-style square crop).</param>
/// <param name="VerticalShift">
/// Crop centre moved down by this fraction of the crop side (<see cref="FaceCropOptions.VerticalShift"/>; negative: up).
/// 0, the value of every model made so far, is left out of the model spec, so older files and their bytes stay as they were;
/// results/2026-12-05/face-crop/report.md measures what other values do.
/// </param>
public sealed record FaceInput(int Size, float PixelMean, float PixelStd, float Margin = 0.2f,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] float VerticalShift = 0f)
{
    [JsonIgnore]
    public FaceCropOptions CropOptions => new()
    {
        Style = FaceCropStyle.Mrpn, Size = Size, Color = ImageColor.Gray, Margin = Margin, VerticalShift = VerticalShift,
    };

    [JsonIgnore]
    public PixelStandardization Pixels => new(PixelMean, PixelStd);
}
