using System.Collections.Concurrent;

namespace Aver.Media;

/// <summary>
/// Follows one face through a stream of frames: frames are read ahead on a background thread, detected
/// in batches (one forward pass per <see cref="BlazeFaceOptions.BatchSize"/> frames), the face that
/// continues the track is chosen per frame, gaps are filled from the nearest detection and the
/// coordinates are smoothed over neighbouring frames. With <see cref="FaceTrackerOptions.DetectEvery"/> k &gt; 1
/// only every k-th frame (and the last) is detected and the frames between are interpolated, unless the two
/// probes around them disagree, in which case those frames are detected too. Memory holds a bounded window
/// of frames (the look-ahead, the decode-ahead queue and one chunk of at most ~32 frames), never the clip.
/// </summary>
public sealed class FaceTracker(BlazeFace detector, FaceTrackerOptions? options = null)
{
    public BlazeFace Detector { get; } = detector;
    public FaceTrackerOptions Options { get; } = options ?? new FaceTrackerOptions();

    /// <summary>Tracks <paramref name="path"/>'s faces without keeping frames: the typed result says whether any face was found.</summary>
    public FaceTrack Track(string path, VideoFrameOptions? decode = null)
    {
        var frames = new List<TrackedFace>();
        foreach (var f in Stream(MediaDecoder.OpenVideo(path, decode))) frames.Add(f.Track);
        return new FaceTrack(path, frames);
    }

    /// <summary>
    /// The frames of <paramref name="frames"/> in order, each with its tracked face. A frame is yielded once
    /// <see cref="FaceTrackerOptions.Lookahead"/> later frames have been detected (or the stream ended).
    /// </summary>
    public IEnumerable<TrackedFrame> Stream(IEnumerable<VideoFrame> frames)
    {
        // The look-ahead must reach the next probed frame, or sparse detection could not interpolate.
        int batch = Math.Max(1, Options.DetectBatch ?? Detector.Options.BatchSize), look = Math.Max(Math.Max(0, Options.Lookahead), Options.DetectEvery);
        var raw = new List<FaceDetection?>();        // chosen detection per frame index seen so far (tiny: no pixels)
        var counts = new List<int>();
        var skipped = new List<bool>();             // frames the detector did not look at (DetectEvery > 1)
        var pending = new Queue<VideoFrame>();
        int lastDetected = -1, emitted = 0;
        using var ahead = new BlockingCollection<VideoFrame>(Math.Max(1, Options.DecodeAhead));
        using var cancel = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            try { foreach (var f in frames) ahead.Add(f, cancel.Token); }
            catch (OperationCanceledException) { }
            finally { ahead.CompleteAdding(); }
        });
        try
        {
            var chunk = new List<VideoFrame>(batch);
            var probe = new List<Image>(batch);
            var found = new List<IReadOnlyList<FaceDetection>?>(batch);   // per chunk frame; null = not probed
            IReadOnlyList<FaceDetection>? lastProbe = null;                  // the previous chunk's last probed frame
            int every = Math.Max(1, Options.DetectEvery);
            // Sparse detection holds every frame of a chunk until its probes are detected: at most ~32 frames.
            int probes = Math.Min(batch, Math.Max(1, 32 / every));
            for (bool done = false; !done;)
            {
                // Gather frames until a detector batch is full; only every DetectEvery-th frame is probed.
                chunk.Clear();
                probe.Clear();
                while (probe.Count < probes && ahead.TryTake(out var f, Timeout.Infinite))
                {
                    if ((raw.Count + chunk.Count) % every == 0) probe.Add(f.Image);
                    chunk.Add(f);
                }
                done = probe.Count < probes;
                // The clip's last frame is always probed, so its tail is interpolated rather than carried.
                bool probeLast = done && chunk.Count > 0 && (raw.Count + chunk.Count - 1) % every != 0;
                if (probeLast) probe.Add(chunk[^1].Image);
                var detected = Detector.Detect(probe);
                found.Clear();
                for (int i = 0, k = 0; i < chunk.Count; i++)
                    found.Add((raw.Count + i) % every == 0 || (probeLast && i == chunk.Count - 1) ? detected[k++] : null);
                if (every > 1) Redetect(chunk, found, lastProbe);
                for (int i = 0; i < chunk.Count; i++)
                {
                    bool probed = found[i] is not null;
                    var faces = found[i] ?? [];
                    if (probed) lastProbe = faces;
                    var pick = Choose(faces, lastDetected >= 0 ? raw[lastDetected] : null);
                    raw.Add(pick);
                    counts.Add(faces.Count);
                    skipped.Add(!probed);
                    if (pick is not null) lastDetected = raw.Count - 1;
                    pending.Enqueue(chunk[i]);
                }
                // Frame i (numbered by arrival) leaves once Lookahead later frames are detected.
                for (; pending.Count > 0 && (done || emitted + look < raw.Count); emitted++)
                {
                    var frame = pending.Dequeue();
                    yield return new TrackedFrame(frame, Resolve(emitted, frame.Timestamp, raw, skipped, counts[emitted], look));
                }
            }
        }
        finally
        {
            cancel.Cancel();
            while (ahead.TryTake(out _)) { }   // unblock the reader so it can finish
            try { reader.Wait(); } catch (AggregateException) { }   // rethrown below when the caller read to the end
        }
        // A decoding error (it names the file) surfaces rather than passing for a short clip.
        reader.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Sparse detection's safety net: where two consecutive probed frames disagree (a face in one but not the
    /// other, boxes overlapping less than <see cref="FaceTrackerOptions.RedetectIoU"/>, or a score below
    /// <see cref="FaceTrackerOptions.RedetectScore"/>), the skipped frames between them are detected too
    /// (one extra batch), so fast motion, cuts and doubtful detections are not interpolated over. The gap
    /// before the chunk's first probe is judged against <paramref name="before"/>, the previous chunk's last probe.
    /// </summary>
    private void Redetect(List<VideoFrame> chunk, List<IReadOnlyList<FaceDetection>?> found, IReadOnlyList<FaceDetection>? before)
    {
        var frames = new List<Image>();
        var where = new List<int>();
        int previous = -1;   // chunk index of the previous probe; -1 = before the chunk
        var prevFaces = before;
        for (int i = 0; i < chunk.Count; i++)
        {
            if (found[i] is not { } faces) continue;
            if (i - previous > 1 && prevFaces is not null && Disagree(prevFaces, faces))
                for (int j = previous + 1; j < i; j++) { frames.Add(chunk[j].Image); where.Add(j); }
            previous = i;
            prevFaces = faces;
        }
        if (frames.Count == 0) return;
        var more = Detector.Detect(frames);
        for (int k = 0; k < where.Count; k++) found[where[k]] = more[k];
    }

    private bool Disagree(IReadOnlyList<FaceDetection> a, IReadOnlyList<FaceDetection> b)
    {
        if (a.Count == 0 && b.Count == 0) return false;
        if (a.Count == 0 || b.Count == 0) return true;
        var (x, y) = (a[0], b[0]);
        return x.Box.IoU(y.Box) < Options.RedetectIoU || Math.Min(x.Score, y.Score) < Options.RedetectScore;
    }

    /// <summary>The detection that continues the track: the best overlap with the last tracked face, else the best score.</summary>
    private static FaceDetection? Choose(IReadOnlyList<FaceDetection> found, FaceDetection? previous)
    {
        if (found.Count == 0) return null;
        if (previous is null || found.Count == 1) return found[0];
        FaceDetection best = found[0];
        float bestValue = float.MinValue;
        foreach (var d in found)
        {
            float v = d.Score + 2 * d.Box.IoU(previous.Box);
            if (v > bestValue) { bestValue = v; best = d; }
        }
        return best;
    }

    /// <summary>Frame <paramref name="i"/>'s face: smoothed detection, interpolated or carried neighbour, or missing.</summary>
    private TrackedFace Resolve(int i, double time, List<FaceDetection?> raw, List<bool> skipped, int count, int look)
    {
        if (raw[i] is not null) return new TrackedFace(i, time, Smooth(i, raw), FaceState.Detected, count);
        int prev = -1, next = -1;
        for (int j = i - 1; j >= 0; j--) if (raw[j] is not null) { prev = j; break; }
        for (int j = i + 1; j < raw.Count && j <= i + look; j++) if (raw[j] is not null) { next = j; break; }
        if (skipped[i] && prev >= 0 && next >= 0 && i - prev <= look)
            return new TrackedFace(i, time, Lerp(Smooth(prev, raw), Smooth(next, raw), (float)(i - prev) / (next - prev)), FaceState.Interpolated, count);
        int from = prev < 0 ? next : next < 0 ? prev : (i - prev <= next - i ? prev : next);
        return from < 0
            ? new TrackedFace(i, time, null, FaceState.Missing, count)
            : new TrackedFace(i, time, Smooth(from, raw), FaceState.Carried, count);
    }

    private static FaceDetection Lerp(FaceDetection a, FaceDetection b, float t)
    {
        float L(float x, float y) => x + t * (y - x);
        var points = new FacePoint[a.KeyPoints.Length];
        for (int k = 0; k < points.Length; k++) points[k] = new FacePoint(L(a.KeyPoints[k].X, b.KeyPoints[k].X), L(a.KeyPoints[k].Y, b.KeyPoints[k].Y));
        return new FaceDetection(new FaceBox(L(a.Box.X, b.Box.X), L(a.Box.Y, b.Box.Y), L(a.Box.Width, b.Box.Width), L(a.Box.Height, b.Box.Height)),
            points, L(a.Score, b.Score));
    }

    /// <summary>The mean box, key points and score of the detections within ±SmoothRadius of <paramref name="i"/>.</summary>
    private FaceDetection Smooth(int i, List<FaceDetection?> raw)
    {
        int r = Math.Max(0, Options.SmoothRadius);
        int n = 0;
        float x = 0, y = 0, w = 0, h = 0, score = 0;
        var points = new FacePoint[raw[i]!.KeyPoints.Length];
        for (int j = Math.Max(0, i - r); j <= Math.Min(raw.Count - 1, i + r); j++)
        {
            if (raw[j] is not { } d) continue;
            n++;
            x += d.Box.X; y += d.Box.Y; w += d.Box.Width; h += d.Box.Height; score += d.Score;
            for (int k = 0; k < points.Length; k++) points[k] += d.KeyPoints[k];
        }
        for (int k = 0; k < points.Length; k++) points[k] *= 1f / n;
        return new FaceDetection(new FaceBox(x / n, y / n, w / n, h / n), points, score / n);
    }
}
