namespace Aver.Media;

/// <summary>
/// How a frame of any aspect ratio sits in the detector's square input (MediaPipe's FIT scale mode): the
/// long side is scaled to the input size, the picture centred and the rest padded black. Maps normalised
/// detector coordinates back to frame pixels.
/// </summary>
public readonly record struct Letterbox(int FrameWidth, int FrameHeight, int Size, int ScaledWidth, int ScaledHeight, int PadX, int PadY)
{
    public static Letterbox For(int frameWidth, int frameHeight, int size)
    {
        double s = (double)size / Math.Max(frameWidth, frameHeight);
        int w = Math.Clamp((int)Math.Round(frameWidth * s), 1, size), h = Math.Clamp((int)Math.Round(frameHeight * s), 1, size);
        return new Letterbox(frameWidth, frameHeight, size, w, h, (size - w) / 2, (size - h) / 2);
    }

    /// <summary>A point at (u, v) in [0, 1] of the square input, in frame pixels.</summary>
    public FacePoint ToFrame(float u, float v) =>
        new((u * Size - PadX) * FrameWidth / ScaledWidth, (v * Size - PadY) * FrameHeight / ScaledHeight);

    /// <summary>Scale from square-input units ([0, 1]) to frame pixels along x and y.</summary>
    public float ScaleX => (float)Size * FrameWidth / ScaledWidth;
    public float ScaleY => (float)Size * FrameHeight / ScaledHeight;

    /// <summary>The letterboxed RGB picture of <paramref name="frame"/> (bilinear, black padding).</summary>
    public Image Apply(Image frame)
    {
        var square = Image.Blank(Size, Size, ImageColor.Rgb);
        square.Paste(frame.To(ImageColor.Rgb).Resize(ScaledWidth, ScaledHeight), PadX, PadY);
        return square;
    }
}
