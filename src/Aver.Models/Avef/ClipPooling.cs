using Aver.Tensors;

namespace Aver.Models.Avef;

/// <summary>AVEF's video-based fusion input (§2.2.4): the average of a clip's segment features.</summary>
public static class ClipPooling
{
    /// <summary>
    /// Averages consecutive rows of <paramref name="segmentFeatures"/> [S, D] (the DBN's last hidden
    /// layer, clips' segments in order) into one row per clip [clips, D], clip c having
    /// <paramref name="segmentsPerClip"/>[c] &gt;= 1 segments. Through autograd ops (differentiable).
    /// </summary>
    public static Tensor Average(Tensor segmentFeatures, IReadOnlyList<int> segmentsPerClip)
    {
        if (segmentFeatures.Rank != 2)
            throw new ShapeException($"ClipPooling.Average: expects segment features [S, D], got {ShapeMath.Format(segmentFeatures.Shape)}");
        int total = 0;
        foreach (int s in segmentsPerClip)
        {
            if (s < 1) throw new ArgumentException($"ClipPooling.Average: a clip has {s} segments (at least one needed)");
            total += s;
        }
        if (total != segmentFeatures.Dim(0))
            throw new ShapeException($"ClipPooling.Average: the clips have {total} segments in all, the features {segmentFeatures.Dim(0)} rows");
        // A [clips, S] averaging matrix: row c holds 1/s_c over clip c's segments.
        var weights = new Tensor(segmentsPerClip.Count, total);
        int start = 0;
        for (int c = 0; c < segmentsPerClip.Count; c++)
        {
            int s = segmentsPerClip[c];
            weights.Data.AsSpan(c * total + start, s).Fill(1f / s);
            start += s;
        }
        return weights.MatMul(segmentFeatures);
    }
}
