using System.Collections.Concurrent;
using System.Globalization;
using Aver.Data.Catalogs;
using Aver.Features;
using Aver.Features.Alignment;
using Aver.Features.Augmentation;
using Aver.Features.Cache;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Data.Pipelines;

/// <summary>
/// The face crops of one clip: pixels 0..255 as bytes [T, C, S, S] (channel-major per frame), each
/// frame's time in seconds, and how many frames had a tracked face (detected, interpolated or carried)
/// versus none (<see cref="MissingFrames"/>: those are centre crops of the frame).
/// </summary>
public sealed record MrpnFaceClip(byte[] Pixels, int Channels, int Size, double[] Times, int FaceFrames, int MissingFrames)
{
    public int Count => Times.Length;
    /// <summary>Seconds the frames cover: the last frame's time plus one frame period.</summary>
    public double Duration(double fps) => Count == 0 ? 0 : Times[^1] + 1 / fps;
}

/// <summary>
/// Clip -> MRPN visual input (§4.4 item 1, Figure 6): the video decoded at <see cref="MrpnVideoOptions.Fps"/>,
/// the face tracked with BlazeFace (<see cref="FaceTracker"/>), a square crop around the box per frame
/// (<see cref="FaceCropper"/>, MRPN style), resized to the face size in RGB or grey; then the frames of a
/// time slice (all of them without one) as [T, C, S, S], scaled to [0, 1] and standardised. Frames whose
/// face is missing (no detection near them) take the frame's central square, so the sequence keeps one
/// frame per time step. Crops are cached on disk by content (<see cref="FeatureCache"/>, kind
/// "mrpn-faces"): a second run loads them without decoding or detecting; in memory they are kept as bytes.
/// </summary>
public sealed class MrpnVideoPipeline
{
    /// <summary>FeatureCache kind of the face-crop entries.</summary>
    public const string CacheKind = "mrpn-faces";

    private readonly ConcurrentDictionary<string, Lazy<MrpnFaceClip>> _clips = new(StringComparer.Ordinal);
    private readonly FeatureCache? _cache;
    private readonly Lazy<FaceTracker> _tracker;
    private readonly Lock _detect = new();

    /// <param name="options">Crop size, colour, rate; the paper-like defaults when null.</param>
    /// <param name="cache">Where crops are cached on disk; null keeps them in memory only.</param>
    /// <param name="tracker">Makes the tracker on the first cache miss (default: BlazeFace from <see cref="BlazeFaceModelFile"/>).</param>
    public MrpnVideoPipeline(MrpnVideoOptions? options = null, FeatureCache? cache = null, Func<FaceTracker>? tracker = null)
    {
        Options = options ?? new MrpnVideoOptions();
        Options.Validate();
        _cache = cache;
        _tracker = new Lazy<FaceTracker>(tracker ?? (() => new FaceTracker(BlazeFace.Load(), TrackerOptions)));
    }

    public MrpnVideoOptions Options { get; }

    /// <summary>The tracker's settings (part of the cache key).</summary>
    public FaceTrackerOptions TrackerOptions { get; } = new();

    /// <summary>Shape of one step: [C, S, S].</summary>
    public int[] StepShape => [Options.Channels, Options.FaceSize, Options.FaceSize];

    /// <summary>Clips whose crops were computed (decoded and detected) rather than loaded, since this pipeline was made.</summary>
    public int Computed => _computed;
    private int _computed;

    /// <summary>
    /// The video file of a catalog item: the paired video of an audio item (RAVDESS `03-` -> `01-`), or
    /// the item itself when it is a video. Throws naming the item when it has none.
    /// </summary>
    public static string VideoPath(CatalogItem item) =>
        item.PairedVideo ?? (item.Modality is Modality.Video or Modality.AudioVideo ? item.Path
            : throw new DatasetException($"{item.Path}: {item.Modality} item without a paired video; MRPN's visual branch needs one"));

    /// <summary>The face crops of the video at <paramref name="videoPath"/>, computed once (and cached on disk when a cache is given).</summary>
    public MrpnFaceClip Faces(string videoPath) =>
        _clips.GetOrAdd(Path.GetFullPath(videoPath), p => new Lazy<MrpnFaceClip>(() => Load(p))).Value;

    /// <summary>
    /// The clip's frames inside <paramref name="slice"/> (all frames without one) as [T, C, S, S],
    /// standardised. A slice that holds no frame time gets the frame nearest its middle.
    /// </summary>
    public Tensor Frames(CatalogItem item, TimeInterval? slice = null) => Frames(Faces(VideoPath(item)), slice);

    /// <summary>
    /// As <see cref="Frames(CatalogItem, TimeInterval?)"/>; with <paramref name="spatial"/> (a training clip's
    /// stream) and <see cref="MrpnVideoOptions.Spatial"/> set, one random spatial transform is applied to every frame.
    /// </summary>
    public Tensor Frames(MrpnFaceClip clip, TimeInterval? slice = null, RandomStream? spatial = null)
    {
        var x = Standardised(clip, slice);
        return spatial is not null && Options.Spatial is { } o ? SpatialAugmentation.SameForClip(x, spatial, o) : x;
    }

    private Tensor Standardised(MrpnFaceClip clip, TimeInterval? slice)
    {
        var pick = FrameAlignment.Sequence(clip.Times, slice);
        if (pick.Length == 0 && slice is TimeInterval s) pick = FrameAlignment.FixedCount(clip.Times, s, 1);
        int step = clip.Channels * clip.Size * clip.Size;
        var x = new Tensor(GC.AllocateUninitializedArray<float>(pick.Length * step), pick.Length, clip.Channels, clip.Size, clip.Size);
        var pixels = new PixelStandardization(Options.PixelMean, Options.PixelStd);
        for (int t = 0; t < pick.Length; t++) pixels.Apply(clip.Pixels.AsSpan(pick[t] * step, step), x.Data.AsSpan(t * step, step));
        return x;
    }

    private MrpnFaceClip Load(string path)
    {
        if (_cache is null) return Compute(path);
        var entry = _cache.GetOrCompute(path, CacheKind, Options.CacheParameters(TrackerOptions), () =>
        {
            var clip = Compute(path);
            var pixels = new float[clip.Pixels.Length];
            for (int i = 0; i < pixels.Length; i++) pixels[i] = clip.Pixels[i];
            return (new() { ["pixels"] = new Tensor(pixels, clip.Count, clip.Channels, clip.Size, clip.Size) }, new()
            {
                ["times"] = string.Join(",", clip.Times.Select(t => t.ToString("R", CultureInfo.InvariantCulture))),
                ["face_frames"] = clip.FaceFrames.ToString(CultureInfo.InvariantCulture),
                ["missing_frames"] = clip.MissingFrames.ToString(CultureInfo.InvariantCulture),
            });
        });
        var p = entry.Tensors["pixels"];
        var bytes = new byte[p.Size];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)p.Data[i];
        var times = entry.Metadata["times"].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return new MrpnFaceClip(bytes, p.Dim(1), p.Dim(2), times,
            int.Parse(entry.Metadata["face_frames"], CultureInfo.InvariantCulture), int.Parse(entry.Metadata["missing_frames"], CultureInfo.InvariantCulture));
    }

    /// <summary>Decode, track, crop (one detector at a time: it parallelises inside, and two would only compete for the cores).</summary>
    private MrpnFaceClip Compute(string path)
    {
        var o = Options;
        var crop = new FaceCropOptions { Style = FaceCropStyle.Mrpn, Size = o.FaceSize, Color = o.Color, Margin = o.Margin };
        var decode = new VideoFrameOptions { Fps = o.Fps, MaxSide = o.DecodeSide, SkipBFrames = true };
        int step = o.Channels * o.FaceSize * o.FaceSize, faces = 0, missing = 0;
        var pixels = new List<byte>();
        var times = new List<double>();
        lock (_detect)
        {
            foreach (var f in _tracker.Value.Stream(MediaDecoder.OpenVideo(path, decode)))
            {
                var face = f.Track.Face;
                if (face is null) { missing++; face = CentralSquare(f.Frame.Image, o.Margin); }
                else faces++;
                var image = FaceCropper.Crop(f.Frame.Image, face, crop);
                // Image is HWC; the network wants CHW.
                AppendChannelMajor(image, pixels);
                times.Add(f.Frame.Timestamp);
            }
            Interlocked.Increment(ref _computed);
        }
        if (times.Count == 0) throw new InvalidDataException($"{path}: no video frames decoded at {o.Fps} fps");
        return new MrpnFaceClip(pixels.ToArray(), o.Channels, o.FaceSize, times.ToArray(), faces, missing);
    }

    private static void AppendChannelMajor(Image image, List<byte> into)
    {
        int c = image.Channels, hw = image.Width * image.Height;
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < hw; i++) into.Add(image.Data[i * c + ch]);
    }

    /// <summary>A pseudo-detection whose MRPN crop is the frame's largest central square.</summary>
    private static FaceDetection CentralSquare(Image frame, float margin)
    {
        float side = Math.Min(frame.Width, frame.Height) / (1 + margin);
        var box = new FaceBox((frame.Width - side) / 2, (frame.Height - side) / 2, side, side);
        return new FaceDetection(box, new FacePoint[6], 0f);
    }
}
