using System.Runtime.CompilerServices;
namespace Aver.Media;

/// <summary>
/// Cuts square face crops out of frames: the region comes from the box (MRPN) or the key points (AVEF),
/// optionally rotated so the eyes are level, and is resampled to the requested size by bilinear
/// interpolation with supersampling when shrinking (so a 300 px face does not alias into 112 px).
/// </summary>
public static class FaceCropper
{
    /// <summary>The crop of <paramref name="face"/> in <paramref name="frame"/> as <paramref name="options"/> ask.</summary>
    public static Image Crop(Image frame, FaceDetection face, FaceCropOptions? options = null)
    {
        options ??= new FaceCropOptions();
        if (options.Size <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.Size, "crop size must be positive");
        var (center, side) = Region(face, options);
        float angle = options.Align ? face.EyeAngle : 0f;
        if (options.VerticalShift != 0f)
        {
            // Down the crop's own vertical axis: (0, shift side) rotated by the crop's angle.
            float d = options.VerticalShift * side;
            center = new FacePoint(center.X - MathF.Sin(angle) * d, center.Y + MathF.Cos(angle) * d);
        }
        var crop = Warp(frame.To(ImageColor.Rgb), center, side, angle, options.Size, options.Fill);
        return crop.To(options.Color);
    }

    /// <summary>Centre and side (frame pixels) of the square region before rotation.</summary>
    public static (FacePoint Center, float Side) Region(FaceDetection face, FaceCropOptions options)
    {
        if (options.Style == FaceCropStyle.Mrpn)
            return (face.Box.Center, Math.Max(face.Box.Width, face.Box.Height) * (1 + options.Margin));
        var eyes = FacePoint.Midpoint(face.RightEye, face.LeftEye);
        float eyeToMouth = (face.Mouth - eyes).Length;
        // A turned head shortens the eye distance, a lowered one the eye-to-mouth distance: take the larger cue.
        float scale = Math.Max(eyeToMouth, 0.9f * (face.LeftEye - face.RightEye).Length);
        return (FacePoint.Midpoint(eyes, face.Mouth), Math.Max(1f, scale * options.KeyPointExtent));
    }

    /// <summary>
    /// Output pixel (u, v) of a size x size image samples the frame at centre + R(angle) ((u + 0.5) / size - 0.5,
    /// (v + 0.5) / size - 0.5) side, averaging k x k bilinear samples when side / size exceeds 1.5.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Image Warp(Image src, FacePoint center, float side, float angle, int size, byte fill)
    {
        int k = Math.Clamp((int)MathF.Ceiling(side / size / 1.5f), 1, 4);
        float step = side / size, cos = MathF.Cos(angle), sin = MathF.Sin(angle);
        if (angle == 0f) return WarpAxisAligned(src, center, side, size, fill, k, step);
        var dst = new byte[size * size * 3];
        Span<float> acc = stackalloc float[3];
        for (int v = 0; v < size; v++)
            for (int u = 0; u < size; u++)
            {
                acc.Clear();
                for (int sy = 0; sy < k; sy++)
                    for (int sx = 0; sx < k; sx++)
                    {
                        float dx = (u + (sx + 0.5f) / k) * step - side / 2, dy = (v + (sy + 0.5f) / k) * step - side / 2;
                        Sample(src, center.X + cos * dx - sin * dy - 0.5f, center.Y + sin * dx + cos * dy - 0.5f, fill, acc);
                    }
                int o = (v * size + u) * 3;
                for (int c = 0; c < 3; c++) dst[o + c] = (byte)Math.Clamp(MathF.Round(acc[c] / (k * k)), 0, 255);
            }
        return new Image(size, size, 3, dst);
    }

    /// <summary>
    /// <see cref="Warp"/> without rotation, with the same samples and sums (bit-identical output): sample columns
    /// depend only on u and rows only on v, so their source indices and weights are computed once per axis, and
    /// the k x k samples of an output pixel read the four neighbours directly. About 4x faster per crop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Image WarpAxisAligned(Image src, FacePoint center, float side, int size, byte fill, int k, float step)
    {
        int n = size * k;
        var pool = System.Buffers.ArrayPool<float>.Shared;
        var ints = System.Buffers.ArrayPool<int>.Shared;
        float[] fxs = pool.Rent(n), fys = pool.Rent(n);
        int[] xs = ints.Rent(n), ys = ints.Rent(n);
        try
        {
            for (int u = 0, i = 0; u < size; u++)
                for (int s = 0; s < k; s++, i++)
                {
                    // The same expressions as Warp with cos = 1, sin = 0.
                    float x = center.X + ((u + (s + 0.5f) / k) * step - side / 2) - 0.5f;
                    float y = center.Y + ((u + (s + 0.5f) / k) * step - side / 2) - 0.5f;
                    xs[i] = (int)MathF.Floor(x); fxs[i] = x - xs[i];
                    ys[i] = (int)MathF.Floor(y); fys[i] = y - ys[i];
                }
            var d = src.Data;
            int w = src.Width, h = src.Height, stride = w * 3;
            var dst = new byte[size * size * 3];
            float norm = k * k;
            Span<float> acc = stackalloc float[3];
            for (int v = 0; v < size; v++)
                for (int u = 0; u < size; u++)
                {
                    float a0 = 0, a1 = 0, a2 = 0;
                    for (int sy = 0; sy < k; sy++)
                    {
                        int y0 = ys[v * k + sy];
                        float fy = fys[v * k + sy];
                        for (int sx = 0; sx < k; sx++)
                        {
                            int x0 = xs[u * k + sx];
                            float fx = fxs[u * k + sx];
                            if ((uint)x0 < (uint)(w - 1) && (uint)y0 < (uint)(h - 1))
                            {
                                int i00 = y0 * stride + x0 * 3, i01 = i00 + stride;
                                float w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
                                a0 += w00 * d[i00] + w10 * d[i00 + 3] + w01 * d[i01] + w11 * d[i01 + 3];
                                a1 += w00 * d[i00 + 1] + w10 * d[i00 + 4] + w01 * d[i01 + 1] + w11 * d[i01 + 4];
                                a2 += w00 * d[i00 + 2] + w10 * d[i00 + 5] + w01 * d[i01 + 2] + w11 * d[i01 + 5];
                            }
                            else
                            {
                                acc[0] = a0; acc[1] = a1; acc[2] = a2;
                                Sample(src, x0 + fx, y0 + fy, fill, acc);
                                a0 = acc[0]; a1 = acc[1]; a2 = acc[2];
                            }
                        }
                    }
                    int o = (v * size + u) * 3;
                    dst[o] = (byte)Math.Clamp(MathF.Round(a0 / norm), 0, 255);
                    dst[o + 1] = (byte)Math.Clamp(MathF.Round(a1 / norm), 0, 255);
                    dst[o + 2] = (byte)Math.Clamp(MathF.Round(a2 / norm), 0, 255);
                }
            return new Image(size, size, 3, dst);
        }
        finally
        {
            pool.Return(fxs); pool.Return(fys);
            ints.Return(xs); ints.Return(ys);
        }
    }

    /// <summary>Adds the bilinear RGB value at pixel-centre coordinates (x, y) to <paramref name="acc"/>; outside pixels are <paramref name="fill"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sample(Image src, float x, float y, byte fill, Span<float> acc)
    {
        int x0 = (int)MathF.Floor(x), y0 = (int)MathF.Floor(y);
        float fx = x - x0, fy = y - y0;
        var d = src.Data;
        int w = src.Width, h = src.Height;
        if ((uint)x0 < (uint)(w - 1) && (uint)y0 < (uint)(h - 1))
        {
            // Inside: the four neighbours are at fixed offsets, no bounds checks per channel.
            int i00 = (y0 * w + x0) * 3, i01 = i00 + w * 3;
            float w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
            for (int c = 0; c < 3; c++)
                acc[c] += w00 * d[i00 + c] + w10 * d[i00 + 3 + c] + w01 * d[i01 + c] + w11 * d[i01 + 3 + c];
            return;
        }
        for (int c = 0; c < 3; c++)
        {
            float p00 = At(d, w, h, x0, y0, c, fill), p10 = At(d, w, h, x0 + 1, y0, c, fill);
            float p01 = At(d, w, h, x0, y0 + 1, c, fill), p11 = At(d, w, h, x0 + 1, y0 + 1, c, fill);
            float top = p00 + fx * (p10 - p00), bottom = p01 + fx * (p11 - p01);
            acc[c] += top + fy * (bottom - top);
        }
    }

    private static float At(byte[] d, int w, int h, int x, int y, int c, byte fill) =>
        (uint)x < (uint)w && (uint)y < (uint)h ? d[(y * w + x) * 3 + c] : fill;
}
