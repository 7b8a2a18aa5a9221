using Aver.Tensors;

namespace Aver.Features.Augmentation;

/// <summary>
/// One drawn set of spatial augmentation parameters (MRPN Figure 8). Geometry maps each output pixel back
/// into the source about the image centre (un-flip, un-rotate, un-zoom, un-shift) and samples bilinearly,
/// repeating edge pixels outside the frame; then v' = contrast * v + (1 - contrast) * mean_c + brightness.
/// </summary>
/// <param name="Scale">Zoom factor (1 = none; 1.1 shows the central 1/1.1 of the frame).</param>
/// <param name="ShiftX">Horizontal translation as a fraction of the width (positive moves the content right).</param>
/// <param name="ShiftY">Vertical translation as a fraction of the height (positive moves it down).</param>
/// <param name="Flip">Mirror left-right.</param>
/// <param name="RotationDegrees">Counter-clockwise rotation of the content, in degrees.</param>
/// <param name="Brightness">Added to every value.</param>
/// <param name="Contrast">Factor about each channel's mean (1 = none).</param>
public readonly record struct SpatialTransform(double Scale, double ShiftX, double ShiftY, bool Flip, double RotationDegrees, float Brightness, float Contrast)
{
    /// <summary>The transform that changes nothing.</summary>
    public static SpatialTransform Identity => new(1, 0, 0, false, 0, 0, 1);

    /// <summary>The zoom of ten-crop views: 48/44, the crop size of the FER literature's ten-crop on 48 px faces.</summary>
    public const double TenCropZoom = 48.0 / 44.0;

    /// <summary>
    /// Ten-crop test-time views (Krizhevsky et al. 2012, §4.1: "the four corner patches and the center patch as well as
    /// their horizontal reflections"): centre, top-left, top-right, bottom-left, bottom-right, then the same mirrored. A
    /// crop is a zoomed view at the input's own size (zoom <paramref name="zoom"/>, centred or pushed into a corner), so
    /// the views stay inside the training augmentation's range.
    /// </summary>
    public static SpatialTransform[] TenCrop(int height, int width, double zoom = TenCropZoom)
    {
        // With zoom s, shifting by (s − 1)·c_x (c_x = (W − 1)/2) puts the source's edge on the output's edge.
        double sx = (zoom - 1) * (width - 1) / 2 / width, sy = (zoom - 1) * (height - 1) / 2 / height;
        (double X, double Y)[] offsets = [(0, 0), (sx, sy), (-sx, sy), (sx, -sy), (-sx, -sy)];
        var views = new SpatialTransform[10];
        for (int k = 0; k < 10; k++)
            views[k] = new SpatialTransform(zoom, offsets[k % 5].X, offsets[k % 5].Y, k >= 5, 0, 0, 1);
        return views;
    }

    /// <summary>Draws one transform from <paramref name="options"/>' ranges; always six numbers from <paramref name="rng"/>, so streams stay in step.</summary>
    public static SpatialTransform Sample(SpatialAugmentationOptions options, RandomStream rng)
    {
        double Symmetric(double range) => (2 * rng.NextDouble() - 1) * range;
        double scale = 1 + Symmetric(options.MaxScale);
        double sx = Symmetric(options.MaxShift), sy = Symmetric(options.MaxShift);
        bool flip = rng.NextDouble() < options.FlipProbability;
        double rotation = Symmetric(options.MaxRotationDegrees);
        float brightness = (float)Symmetric(options.MaxBrightness);
        float contrast = (float)(1 + Symmetric(options.MaxContrast));
        return new SpatialTransform(scale, sx, sy, flip, rotation, brightness, contrast);
    }

    /// <summary>
    /// Writes the transformed <paramref name="src"/> (one frame, [channels, height, width]) into
    /// <paramref name="dst"/> (same shape). Identity geometry copies exactly; unit contrast and zero
    /// brightness leave values untouched.
    /// </summary>
    public void Apply(ReadOnlySpan<float> src, Span<float> dst, int channels, int height, int width)
    {
        int plane = height * width;
        if (src.Length != channels * plane || dst.Length != src.Length)
            throw new ShapeException($"SpatialTransform: frame of {src.Length} values and output of {dst.Length} do not match [{channels}, {height}, {width}]");
        Warp(src, dst, channels, height, width);
        if (Contrast == 1f && Brightness == 0f) return;
        for (int c = 0; c < channels; c++)
        {
            var p = dst.Slice(c * plane, plane);
            float mean = System.Numerics.Tensors.TensorPrimitives.Sum(p) / plane;
            // v' = contrast * v + ((1 - contrast) * mean + brightness)
            System.Numerics.Tensors.TensorPrimitives.Multiply(p, Contrast, p);
            System.Numerics.Tensors.TensorPrimitives.Add(p, (1 - Contrast) * mean + Brightness, p);
        }
    }

    private void Warp(ReadOnlySpan<float> src, Span<float> dst, int channels, int height, int width)
    {
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        double a = RotationDegrees * Math.PI / 180, cos = Math.Cos(a), sin = Math.Sin(a);
        // Source point of output pixel (u, v): undo the shift, zoom, rotation and flip in that order.
        double tx = ShiftX * width, ty = ShiftY * height, inv = 1 / Scale;
        int plane = height * width;
        for (int v = 0; v < height; v++)
            for (int u = 0; u < width; u++)
            {
                double px = (u - cx - tx) * inv, py = (v - cy - ty) * inv;
                // Rotating content counter-clockwise by a (y down) = sampling the source rotated by -a.
                double qx = cos * px - sin * py, qy = sin * px + cos * py;
                if (Flip) qx = -qx;
                double x = Math.Clamp(qx + cx, 0, width - 1), y = Math.Clamp(qy + cy, 0, height - 1);
                int x0 = (int)x, y0 = (int)y, x1 = Math.Min(x0 + 1, width - 1), y1 = Math.Min(y0 + 1, height - 1);
                float fx = (float)(x - x0), fy = (float)(y - y0);
                int o = v * width + u;
                for (int c = 0; c < channels; c++)
                {
                    var s = src.Slice(c * plane, plane);
                    float top = s[y0 * width + x0], bottom = s[y1 * width + x0];
                    // Exact when a weight is zero (identity geometry, flips): no blending of neighbours.
                    if (fx != 0) { top += fx * (s[y0 * width + x1] - top); bottom += fx * (s[y1 * width + x1] - bottom); }
                    dst[c * plane + o] = fy != 0 ? top + fy * (bottom - top) : top;
                }
            }
    }
}
