namespace Aver.Media;

/// <summary>
/// Turns BlazeFace's raw outputs into detections as MediaPipe's tensors_to_detections and
/// non_max_suppression calculators do for the front model: scores are sigmoid(clip(logit)), boxes
/// and key points are anchor centre + regressor / 128 (fixed 1x1 anchors), and overlapping candidates
/// (IoU above the threshold) are blended by weighted NMS: the cluster's coordinates are the
/// score-weighted mean, its score the best one's.
/// </summary>
public static class BlazeFaceDecoder
{
    private const int KeyPoints = 6;

    /// <summary>Detections of one image, best first, in frame pixels through <paramref name="letterbox"/>.</summary>
    public static List<FaceDetection> Decode(ReadOnlySpan<float> logits, ReadOnlySpan<float> regressors, Letterbox letterbox, BlazeFaceOptions options)
    {
        var anchors = SsdAnchors.Front128;
        float scale = BlazeFace.InputSize;
        var candidates = new List<(float Score, float[] Coords)>();   // coords: xmin, ymin, xmax, ymax, then 6 (x, y), normalised
        for (int a = 0; a < anchors.Length; a++)
        {
            float score = Sigmoid(Math.Clamp(logits[a], -options.ScoreClip, options.ScoreClip));
            if (score < options.MinScore) continue;
            var r = regressors.Slice(a * BlazeFace.Regressors, BlazeFace.Regressors);
            float cx = anchors[a].X + r[0] / scale, cy = anchors[a].Y + r[1] / scale, w = r[2] / scale, h = r[3] / scale;
            var c = new float[4 + 2 * KeyPoints];
            c[0] = cx - w / 2; c[1] = cy - h / 2; c[2] = cx + w / 2; c[3] = cy + h / 2;
            for (int k = 0; k < KeyPoints; k++)
            {
                c[4 + 2 * k] = anchors[a].X + r[4 + 2 * k] / scale;
                c[5 + 2 * k] = anchors[a].Y + r[5 + 2 * k] / scale;
            }
            candidates.Add((score, c));
        }
        candidates.Sort((p, q) => q.Score.CompareTo(p.Score));

        var result = new List<FaceDetection>();
        var remaining = candidates;
        while (remaining.Count > 0)
        {
            var top = remaining[0];
            var blend = new double[top.Coords.Length];
            double total = 0;
            var rest = new List<(float Score, float[] Coords)>();
            foreach (var cand in remaining)
            {
                if (IoU(top.Coords, cand.Coords) > options.SuppressionIoU)
                {
                    total += cand.Score;
                    for (int i = 0; i < blend.Length; i++) blend[i] += cand.Coords[i] * (double)cand.Score;
                }
                else rest.Add(cand);
            }
            result.Add(ToDetection(blend, total, top.Score, letterbox));
            remaining = rest;
        }
        return result;
    }

    private static FaceDetection ToDetection(double[] blend, double total, float score, Letterbox lb)
    {
        float At(int i) => (float)(blend[i] / total);
        var p0 = lb.ToFrame(At(0), At(1));
        var p1 = lb.ToFrame(At(2), At(3));
        var points = new FacePoint[KeyPoints];
        for (int k = 0; k < KeyPoints; k++) points[k] = lb.ToFrame(At(4 + 2 * k), At(5 + 2 * k));
        return new FaceDetection(new FaceBox(p0.X, p0.Y, p1.X - p0.X, p1.Y - p0.Y), points, score);
    }

    private static float IoU(float[] a, float[] b)
    {
        float w = Math.Min(a[2], b[2]) - Math.Max(a[0], b[0]), h = Math.Min(a[3], b[3]) - Math.Max(a[1], b[1]);
        if (w <= 0 || h <= 0) return 0;
        float inter = w * h, union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
        return union <= 0 ? 0 : inter / union;
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
