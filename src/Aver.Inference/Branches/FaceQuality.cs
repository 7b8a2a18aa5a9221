using Aver.Media;

namespace Aver.Inference.Branches;

/// <summary>
/// How much a video frame's face counts in the visual branch's clip and window answers: its crop's sharpness, as a
/// fraction of a sharp face's, capped at 1. A blurred frame (motion, focus) still counts, but less; frames as sharp as
/// a typical sharp face count equally, so clips whose faces are all sharp get the plain mean.
/// </summary>
/// <remarks>
/// Chosen by measurement (results/2026-12-06/face-quality/report.md, tools/face-quality): on FER2013 faces blurred
/// (σ 0-3 px at 48 px) and shrunk (12-96 px) in simulated 8-frame clips, this weighting raised the default model's clip
/// accuracy over the plain mean by +1.8, +1.4, +0.7 pp in three clip designs on the FER hold-out (where it was chosen)
/// and by +2.0, +1.1, +0.6 pp on the test split (every 95 % interval above 0); weighting by BlazeFace's score or the
/// face's size added nothing where a clip's faces keep their size, and dropping small faces cost accuracy. The reference is the median sharpness of the sharpest simulated 48 px crops (hold-out); the faces of the
/// shared RAVDESS and CREMA-D clips measure 1.4-2.9 times it, so they all weigh 1.
/// </remarks>
public static class FaceQuality
{
    /// <summary>The sharpness (see <see cref="Sharpness"/>) at and above which a face counts fully; measured on 48 px crops.</summary>
    public const double SharpnessReference = 0.236;

    /// <summary>The crop side the reference was measured at: crops of another size are resized to it before they are weighed.</summary>
    public const int MeasuredSide = 48;

    /// <summary>The weight of a face crop in the clip's mean: min(1, sharpness / <see cref="SharpnessReference"/>), in [0, 1].</summary>
    public static float Weight(Image crop)
    {
        if (crop.Width != MeasuredSide || crop.Height != MeasuredSide) crop = crop.Resize(MeasuredSide, MeasuredSide);
        return (float)Math.Min(1, Sharpness(crop) / SharpnessReference);
    }

    /// <summary>
    /// Variance of the 4-neighbour Laplacian over the crop's interior divided by the variance of its pixels (so it does
    /// not depend on contrast): high for a detailed face, low for a blurred or upscaled one; 0 for a flat crop.
    /// </summary>
    public static double Sharpness(Image crop)
    {
        var grey = crop.Channels == 1 ? crop : crop.ToGray();
        int w = grey.Width, h = grey.Height;
        if (w < 3 || h < 3) return 0;
        var d = grey.Data;
        double ls = 0, ls2 = 0, ps = 0, ps2 = 0;
        int n = 0;
        for (int y = 1; y < h - 1; y++)
            for (int x = 1; x < w - 1; x++)
            {
                int i = y * w + x;
                double lap = d[i - 1] + d[i + 1] + d[i - w] + d[i + w] - 4.0 * d[i];
                ls += lap; ls2 += lap * lap; n++;
            }
        foreach (var p in d) { ps += p; ps2 += (double)p * p; }
        double lapVar = ls2 / n - ls / n * (ls / n), m = d.Length, pixVar = ps2 / m - ps / m * (ps / m);
        return pixVar < 1 ? 0 : lapVar / pixVar;
    }
}

/// <summary>
/// The weighted mean of frames' class probabilities (weights from <see cref="FaceQuality.Weight"/>): the visual branch's
/// clip and window answer, for files (<see cref="FaceBranch.Run(string, double, IReadOnlyList{Aver.Features.TimeInterval})"/>) and live streams alike. When every weight is zero
/// the plain mean is returned, so a clip of frames with faces always has an answer.
/// </summary>
public sealed class FrameMean(int classes)
{
    private readonly double[] _weighted = new double[classes], _plain = new double[classes];
    private double _weight;

    /// <summary>Frames added.</summary>
    public int Count { get; private set; }

    public void Add(ReadOnlySpan<float> probabilities, float weight)
    {
        if (probabilities.Length != _plain.Length) throw new ArgumentException($"{probabilities.Length} probabilities, expected {_plain.Length}");
        if (!(weight >= 0) || float.IsInfinity(weight)) throw new ArgumentOutOfRangeException(nameof(weight), weight, "a frame's weight must be finite and non-negative");
        Count++;
        _weight += weight;
        for (int k = 0; k < _plain.Length; k++)
        {
            _plain[k] += probabilities[k];
            _weighted[k] += weight * probabilities[k];
        }
    }

    /// <summary>The weighted mean (the plain mean when every weight is zero), or null when no frame was added.</summary>
    public float[]? Mean()
    {
        if (Count == 0) return null;
        var (sum, total) = _weight > 0 ? (_weighted, _weight) : (_plain, Count);
        var mean = new float[sum.Length];
        for (int k = 0; k < mean.Length; k++) mean[k] = (float)(sum[k] / total);
        return mean;
    }
}
