namespace Aver.Media;

/// <summary>Which face region a crop takes.</summary>
public enum FaceCropStyle
{
    /// <summary>
    /// MRPN (§4, faces cropped by a CNN detector): the square around the detector's box, its side the
    /// box's longer side enlarged by <see cref="FaceCropOptions.Margin"/>.
    /// </summary>
    Mrpn,
    /// <summary>
    /// AVEF (§2.1.2: "detecting four key positions of left eye, right eye, nose and mouth, and obtain the
    /// human face through an extending for these key points"): a square centred between the eyes' midpoint
    /// and the mouth, its side <see cref="FaceCropOptions.KeyPointExtent"/> times the eye-to-mouth distance.
    /// </summary>
    Avef,
}

/// <summary>How to cut a face out of a frame: region, output size and colour, and optional alignment.</summary>
public sealed record FaceCropOptions
{
    public FaceCropStyle Style { get; init; } = FaceCropStyle.Mrpn;
    /// <summary>Output side in pixels (crops are square).</summary>
    public int Size { get; init; } = 112;
    public ImageColor Color { get; init; } = ImageColor.Rgb;
    /// <summary>Rotate about the crop centre so the eye line is horizontal (in-plane alignment).</summary>
    public bool Align { get; init; }
    /// <summary>MRPN style: fraction added to the box's longer side.</summary>
    public float Margin { get; init; } = 0.25f;
    /// <summary>
    /// Moves the crop centre along the face's vertical axis (the rotated one with <see cref="Align"/>) by this fraction
    /// of the crop side, positive towards the chin; 0 keeps the region's own centre.
    /// </summary>
    public float VerticalShift { get; init; }
    /// <summary>AVEF style: crop side as a multiple of the eye-midpoint-to-mouth distance.</summary>
    public float KeyPointExtent { get; init; } = 3.2f;
    /// <summary>Value of pixels outside the frame.</summary>
    public byte Fill { get; init; }
}
