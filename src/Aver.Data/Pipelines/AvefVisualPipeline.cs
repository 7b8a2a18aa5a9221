using System.Globalization;
using Aver.Features;
using Aver.Features.Alignment;
using Aver.Features.Cache;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Data.Pipelines;

/// <summary>
/// Clip -> AVEF visual input (§2.1.2): the face in every frame (BlazeFace <see cref="FaceTracker"/>,
/// crops by <see cref="FaceCropper"/>, AVEF's key-point style by default), then for each audio segment
/// the 16 frames aligned to its time span (<see cref="FrameAlignment.ForSegments"/>: surplus frames
/// dropped from both ends, missing ones repeated), giving [S, C, 16, H, W] in [0, 1]. A frame without a
/// face (before the first detection) takes the nearest frame that has one; a clip with no face at all
/// is an error naming it. With a <see cref="FeatureCache"/>, a clip's crops are computed once.
/// </summary>
public sealed class AvefVisualPipeline(FaceTracker tracker, FaceCropOptions crop, double? fps = null, FeatureCache? cache = null, int frames = 16)
{
    public FaceCropOptions Crop { get; } = crop;

    /// <summary>Decoding rate (null: the clip's own).</summary>
    public double? Fps { get; } = fps;

    /// <summary>Frames per face segment (16).</summary>
    public int Frames { get; } = frames >= 1 ? frames : throw new ArgumentOutOfRangeException(nameof(frames), frames, "frames per segment must be at least 1");

    /// <summary>Face segments [S, C, Frames, H, W] for the audio segments' <paramref name="times"/>.</summary>
    public Tensor Segments(string path, IReadOnlyList<TimeInterval> times)
    {
        var (crops, frameTimes) = Faces(path);
        return Assemble(crops, frameTimes, times, Frames);
    }

    /// <summary>
    /// Face segments from per-frame crops [F, C, H, W] with timestamps: [S, C, frames, H, W], segment s
    /// holding the <paramref name="frames"/> frames <see cref="FrameAlignment.ForSegments"/> picks for <paramref name="times"/>[s].
    /// </summary>
    public static Tensor Assemble(Tensor crops, double[] frameTimes, IReadOnlyList<TimeInterval> times, int frames = 16)
    {
        if (crops.Rank != 4 || crops.Dim(0) != frameTimes.Length)
            throw new ShapeException($"AvefVisualPipeline: crops {ShapeMath.Format(crops.Shape)} for {frameTimes.Length} frame times");
        int c = crops.Dim(1), plane = crops.Dim(2) * crops.Dim(3);
        var picks = FrameAlignment.ForSegments(frameTimes, times.ToArray(), frames);
        var output = new Tensor(times.Count, c, frames, crops.Dim(2), crops.Dim(3));
        for (int s = 0; s < picks.Length; s++)
            for (int t = 0; t < frames; t++)
                for (int ch = 0; ch < c; ch++)
                    crops.Data.AsSpan((picks[s][t] * c + ch) * plane, plane)
                        .CopyTo(output.Data.AsSpan((((s * c) + ch) * frames + t) * plane, plane));
        return output;
    }

    /// <summary>Every frame's face crop [F, C, H, W] in [0, 1] with the frames' timestamps (seconds).</summary>
    public (Tensor Crops, double[] Times) Faces(string path)
    {
        string parameters = $"{Crop}|fps={Fps?.ToString(CultureInfo.InvariantCulture) ?? "native"}|{tracker.Options}";
        if (cache is null) return Track(path);
        var entry = cache.GetOrCompute(path, "avef-faces", parameters, () =>
        {
            var (crops, t) = Track(path);
            return (new() { ["crops"] = crops, ["times"] = new Tensor(t.Select(v => (float)v).ToArray(), t.Length) }, new());
        });
        return (entry.Tensors["crops"], entry.Tensors["times"].Data.Select(v => (double)v).ToArray());
    }

    private (Tensor Crops, double[] Times) Track(string path)
    {
        var decode = new VideoFrameOptions { MaxSide = 640, Fps = Fps };
        var byFrame = new SortedDictionary<int, (double Time, Tensor Crop)>();
        var result = FaceExtraction.Run(path, tracker, Crop, decode, (face, image) => byFrame[face.Index] = (face.Time, image.ToTensor()));
        if (byFrame.Count == 0) throw new MediaException(path, "no face found in any frame (AVEF needs a face for every segment)");
        var withFace = byFrame.Keys.ToArray();
        var frames = result.Track.Frames;
        var first = byFrame[withFace[0]].Crop;
        var crops = new Tensor(frames.Count, first.Dim(0), first.Dim(1), first.Dim(2));
        int per = first.Size;
        var times = new double[frames.Count];
        for (int i = 0; i < frames.Count; i++)
        {
            times[i] = frames[i].Time;
            // A frame without a face borrows the nearest frame with one.
            int k = Array.BinarySearch(withFace, frames[i].Index);
            if (k < 0)
            {
                int after = ~k, before = after - 1;
                k = after >= withFace.Length ? before
                    : before < 0 ? after
                    : frames[i].Index - withFace[before] <= withFace[after] - frames[i].Index ? before : after;
            }
            byFrame[withFace[k]].Crop.Data.AsSpan().CopyTo(crops.Data.AsSpan(i * per, per));
        }
        return (crops, times);
    }
}
