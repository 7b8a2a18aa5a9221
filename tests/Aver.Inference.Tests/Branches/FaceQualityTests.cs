using Aver.Inference.Branches;
using Aver.Media;

namespace Aver.Inference.Tests.Branches;

/// <summary>The visual branch's frame weighting: sharp faces count fully, blurred ones less, and the clip mean follows.</summary>
public class FaceQualityTests
{
    /// <summary>A 48 px grey face-sized pattern with edges at several scales (blocks of 3, 6 and 12 px, a little texture).</summary>
    private static Image Pattern()
    {
        var d = new byte[48 * 48];
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 48; x++)
            {
                int v = 90 + ((x / 12 + y / 12) % 2) * 60 + ((x / 6 + y / 6) % 2) * 30 + ((x / 3 + y / 3) % 2) * 15 + (x * 7 + y * 13) % 11;
                d[y * 48 + x] = (byte)v;
            }
        return new Image(48, 48, 1, d);
    }

    /// <summary>Box blur of radius <paramref name="r"/>, repeated three times (close to a Gaussian), edges replicated.</summary>
    private static Image Blurred(Image img, int r)
    {
        var d = img.Data.Select(b => (double)b).ToArray();
        int w = img.Width, h = img.Height;
        for (int pass = 0; pass < 6; pass++)
        {
            bool horizontal = pass % 2 == 0;
            var next = new double[d.Length];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    double s = 0;
                    for (int t = -r; t <= r; t++)
                        s += horizontal ? d[y * w + Math.Clamp(x + t, 0, w - 1)] : d[Math.Clamp(y + t, 0, h - 1) * w + x];
                    next[y * w + x] = s / (2 * r + 1);
                }
            d = next;
        }
        return new Image(w, h, 1, d.Select(v => (byte)Math.Clamp(Math.Round(v), 0, 255)).ToArray());
    }

    [Fact]
    public void A_sharp_face_weighs_one_and_blur_lowers_the_weight_step_by_step()
    {
        var sharp = Pattern();
        Assert.Equal(1f, FaceQuality.Weight(sharp));
        float w1 = FaceQuality.Weight(Blurred(sharp, 1)), w2 = FaceQuality.Weight(Blurred(sharp, 2)), w3 = FaceQuality.Weight(Blurred(sharp, 3));
        Assert.True(w1 < 1 && w2 < w1 && w3 < w2 && w3 > 0, $"weights {w1}, {w2}, {w3}");
        Assert.True(w2 < 0.5f, $"a face blurred by ~2 px counts less than half a sharp one ({w2})");
    }

    [Fact]
    public void Sharpness_does_not_depend_on_contrast_and_a_flat_crop_has_none()
    {
        var sharp = Pattern();
        var faded = new Image(48, 48, 1, sharp.Data.Select(b => (byte)(64 + b / 2)).ToArray());
        Assert.Equal(FaceQuality.Sharpness(sharp), FaceQuality.Sharpness(faded), 1);
        Assert.Equal(0, FaceQuality.Sharpness(Image.Blank(48, 48, ImageColor.Gray, 128)));
        Assert.Equal(FaceQuality.Sharpness(sharp), FaceQuality.Sharpness(sharp.ToRgb()), 6);
    }

    [Fact]
    public void A_blurred_frame_moves_the_clip_answer_less_than_a_sharp_one()
    {
        float[] happy = [0.8f, 0.2f], sad = [0.1f, 0.9f];
        var sharp = Pattern();
        var blurred = Blurred(sharp, 2);

        // The plain mean of the two frames says sad (0.45 / 0.55); with the sad frame blurred, the sharp happy one wins.
        var clip = new FrameMean(2);
        clip.Add(happy, FaceQuality.Weight(sharp));
        clip.Add(sad, FaceQuality.Weight(blurred));
        var p = clip.Mean()!;
        Assert.True(p[0] > p[1], $"weighted mean {p[0]} / {p[1]}");
        Assert.Equal(1f, p[0] + p[1], 5);

        // Swapped, the sharp sad frame wins by more than the plain mean's margin.
        var swapped = new FrameMean(2);
        swapped.Add(happy, FaceQuality.Weight(blurred));
        swapped.Add(sad, FaceQuality.Weight(sharp));
        Assert.True(swapped.Mean()![1] > 0.55f);
    }

    [Fact]
    public void Equal_weights_give_the_plain_mean_and_zero_weights_fall_back_to_it()
    {
        float[] a = [0.7f, 0.2f, 0.1f], b = [0.1f, 0.3f, 0.6f];
        foreach (float weight in new[] { 1f, 0.3f, 0f })
        {
            var mean = new FrameMean(3);
            mean.Add(a, weight);
            mean.Add(b, weight);
            var p = mean.Mean()!;
            for (int k = 0; k < 3; k++) Assert.Equal((a[k] + b[k]) / 2, p[k], 6);
            Assert.Equal(2, mean.Count);
        }
        Assert.Null(new FrameMean(3).Mean());
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameMean(3).Add(a, float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameMean(3).Add(a, -1));
    }
}
