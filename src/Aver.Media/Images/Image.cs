using Aver.Tensors;

namespace Aver.Media;

/// <summary>Colour layout of an <see cref="Image"/>; the value is the channel count.</summary>
public enum ImageColor { Gray = 1, Rgb = 3 }

/// <summary>
/// An 8-bit picture: <see cref="Data"/> holds Height × Width × Channels bytes, row-major, channels
/// interleaved (HWC, as decoders write it). Channels is 1 (gray) or 3 (RGB). <see cref="ToTensor"/>
/// gives the float [C, H, W] layout the networks take (DESIGN.md: images NCHW).
/// </summary>
public sealed class Image
{
    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    public byte[] Data { get; }

    public ImageColor Color => (ImageColor)Channels;

    public Image(int width, int height, int channels, byte[] data)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} must be positive");
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "an image has 1 (gray) or 3 (RGB) channels");
        if (data.Length != (long)width * height * channels)
            throw new ArgumentException($"image data has {data.Length} bytes, {width}x{height}x{channels} needs {(long)width * height * channels}", nameof(data));
        Width = width; Height = height; Channels = channels; Data = data;
    }

    /// <summary>A new image filled with <paramref name="fill"/>.</summary>
    public static Image Blank(int width, int height, ImageColor color, byte fill = 0)
    {
        var data = new byte[(long)width * height * (int)color];
        if (fill != 0) Array.Fill(data, fill);
        return new Image(width, height, (int)color, data);
    }

    /// <summary>Channel <paramref name="c"/> of pixel (x, y).</summary>
    public byte this[int x, int y, int c = 0] => Data[(y * Width + x) * Channels + c];

    /// <summary>Luma by ITU-R BT.601 (0.299 R + 0.587 G + 0.114 B, rounded), the weights JPEG and OpenCV use.</summary>
    public Image ToGray()
    {
        if (Channels == 1) return this;
        var dst = new byte[Width * Height];
        var src = Data;
        for (int i = 0, j = 0; i < dst.Length; i++, j += 3)
            dst[i] = (byte)((299 * src[j] + 587 * src[j + 1] + 114 * src[j + 2] + 500) / 1000);
        return new Image(Width, Height, 1, dst);
    }

    /// <summary>Gray replicated into three channels; an RGB image is returned as is.</summary>
    public Image ToRgb()
    {
        if (Channels == 3) return this;
        var dst = new byte[Width * Height * 3];
        for (int i = 0, j = 0; i < Data.Length; i++, j += 3) dst[j] = dst[j + 1] = dst[j + 2] = Data[i];
        return new Image(Width, Height, 3, dst);
    }

    /// <summary>Converts to <paramref name="color"/> (gray by BT.601 luma, or gray replicated to RGB).</summary>
    public Image To(ImageColor color) => color == ImageColor.Gray ? ToGray() : ToRgb();

    /// <summary>
    /// The rectangle at (x, y) of size w × h. Parts outside this image are filled with
    /// <paramref name="fill"/>, so a face box with margin near the border keeps its size and centre.
    /// </summary>
    public Image Crop(int x, int y, int w, int h, byte fill = 0)
    {
        var dst = Blank(w, h, Color, fill);
        int x0 = Math.Max(x, 0), y0 = Math.Max(y, 0), x1 = Math.Min(x + w, Width), y1 = Math.Min(y + h, Height);
        if (x1 <= x0 || y1 <= y0) return dst;
        int rowBytes = (x1 - x0) * Channels;
        for (int sy = y0; sy < y1; sy++)
            Array.Copy(Data, (sy * Width + x0) * Channels, dst.Data, ((sy - y) * w + (x0 - x)) * Channels, rowBytes);
        return dst;
    }

    /// <summary>Copies <paramref name="src"/> (converted to this image's colour) with its top-left at (x, y), clipped to this image.</summary>
    public void Paste(Image src, int x, int y)
    {
        src = src.To(Color);
        int x0 = Math.Max(x, 0), y0 = Math.Max(y, 0), x1 = Math.Min(x + src.Width, Width), y1 = Math.Min(y + src.Height, Height);
        if (x1 <= x0 || y1 <= y0) return;
        int rowBytes = (x1 - x0) * Channels;
        for (int dy = y0; dy < y1; dy++)
            Array.Copy(src.Data, ((dy - y) * src.Width + (x0 - x)) * Channels, Data, (dy * Width + x0) * Channels, rowBytes);
    }

    /// <summary>
    /// Bilinear resize with half-pixel centres (OpenCV INTER_LINEAR, PyTorch align_corners=False): destination
    /// pixel i samples source coordinate (i + 0.5) · src/dst − 0.5, clamped to the edge.
    /// </summary>
    public Image Resize(int width, int height)
    {
        if (width == Width && height == Height) return new Image(Width, Height, Channels, (byte[])Data.Clone());
        var (xi, xf) = Taps(Width, width);
        var (yi, yf) = Taps(Height, height);
        var dst = new byte[width * height * Channels];
        int c = Channels, srcStride = Width * c;
        for (int y = 0; y < height; y++)
        {
            int r0 = yi[y] * srcStride, r1 = Math.Min(yi[y] + 1, Height - 1) * srcStride;
            float fy = yf[y];
            for (int x = 0; x < width; x++)
            {
                int a = xi[x] * c, b = Math.Min(xi[x] + 1, Width - 1) * c;
                float fx = xf[x];
                for (int k = 0; k < c; k++)
                {
                    float top = Data[r0 + a + k] + fx * (Data[r0 + b + k] - Data[r0 + a + k]);
                    float bottom = Data[r1 + a + k] + fx * (Data[r1 + b + k] - Data[r1 + a + k]);
                    dst[(y * width + x) * c + k] = (byte)Math.Clamp(MathF.Round(top + fy * (bottom - top)), 0, 255);
                }
            }
        }
        return new Image(width, height, Channels, dst);
    }

    /// <summary>For each destination index, the left source index and the weight of its right neighbour.</summary>
    private static (int[] Index, float[] Frac) Taps(int src, int dst)
    {
        var index = new int[dst];
        var frac = new float[dst];
        double scale = (double)src / dst;
        for (int i = 0; i < dst; i++)
        {
            double s = Math.Clamp((i + 0.5) * scale - 0.5, 0, src - 1);
            index[i] = (int)s;
            frac[i] = (float)(s - index[i]);
        }
        return (index, frac);
    }

    /// <summary>Float pixels as [C, H, W]: value · <paramref name="scale"/> + <paramref name="offset"/> (default maps 0..255 to 0..1).</summary>
    public Tensor ToTensor(float scale = 1f / 255, float offset = 0f)
    {
        int plane = Width * Height;
        var t = new float[plane * Channels];
        for (int i = 0; i < plane; i++)
            for (int k = 0; k < Channels; k++)
                t[k * plane + i] = Data[i * Channels + k] * scale + offset;
        return new Tensor(t, [Channels, Height, Width]);
    }

    /// <summary>
    /// The inverse of <see cref="ToTensor"/>: a [C, H, W] (C = 1 or 3) or [H, W] tensor to bytes by
    /// (value − <paramref name="offset"/>) / <paramref name="scale"/>, rounded and clipped to 0..255;
    /// for showing float crops, spectrograms or maps as pictures.
    /// </summary>
    public static Image FromTensor(Tensor t, float scale = 1f / 255, float offset = 0f)
    {
        var shape = t.Shape;
        var (c, h, w) = shape.Length switch
        {
            2 => (1, shape[0], shape[1]),
            3 when shape[0] is 1 or 3 => (shape[0], shape[1], shape[2]),
            _ => throw new ShapeException($"Image.FromTensor: expected [C,H,W] with C 1 or 3, or [H,W]; got {ShapeMath.Format(shape)}"),
        };
        int plane = w * h;
        var data = new byte[plane * c];
        var src = t.Data;
        for (int i = 0; i < plane; i++)
            for (int k = 0; k < c; k++)
                data[i * c + k] = (byte)Math.Clamp(MathF.Round((src[k * plane + i] - offset) / scale), 0, 255);
        return new Image(w, h, c, data);
    }
}
