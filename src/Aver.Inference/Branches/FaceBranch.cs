using Aver.Features;
using Aver.Features.Augmentation;
using Aver.Data.Labels;
using Aver.Data.Pipelines;
using Aver.Models.Calibration;
using Aver.Models.Fusion;
using Aver.Media;
using Aver.Tensors.Nn;
using Aver.Tensors;

namespace Aver.Inference.Branches;

/// <summary>
/// The visual branch: frames sampled at a few per second, the face tracked by BlazeFace, each face cropped
/// grey at FER2013's size and classified by a ResNet-18 trained on FER2013 (MRPN §5.2's visual pre-training).
/// The clip's probabilities are the mean over frames with a face, each weighted by its crop's sharpness
/// (<see cref="FaceQuality"/>: blurred frames count less); each timeline window's the same mean over its frames.
/// </summary>
public sealed class FaceBranch
{
    public const string BranchName = "visual";
    private const int Chunk = 64;
    private readonly Lazy<FaceTracker> _tracker;

    /// <param name="tracker">Made on first use (loading BlazeFace costs a moment), so audio-only work never loads it.</param>
    public FaceBranch(Module network, LabelSpace labels, FaceInput input, float temperature, Func<FaceTracker> tracker)
    {
        // A ResNet-18 or an ensemble of them (anything else is refused here), each taking grey faces.
        if (VisualBranchArchitecture.NetworksOf(network).FirstOrDefault(a => a.InChannels != 1) is { } colour)
            throw new ArgumentException($"the visual branch takes grey faces (1 channel), the network has {colour.InChannels}");
        Network = network;
        Labels = labels;
        Input = input;
        Temperature = temperature > 0 ? temperature : throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be positive");
        _tracker = new Lazy<FaceTracker>(tracker);
        Network.Eval();
    }

    /// <summary>A FER ResNet-18, or an <see cref="Ensemble"/> of them (whose output is the log of their mean probabilities).</summary>
    public Module Network { get; }
    public LabelSpace Labels { get; }
    public FaceInput Input { get; }
    public float Temperature { get; }

    /// <summary>Standardised faces [N, 1, S, S] of grey crops.</summary>
    public Tensor Pixels(IReadOnlyList<Image> crops)
    {
        int s = Input.Size, plane = s * s;
        var x = new Tensor(crops.Count, 1, s, s);
        for (int i = 0; i < crops.Count; i++)
        {
            var img = crops[i];
            if (img.Width != s || img.Height != s || img.Channels != 1) throw new ArgumentException($"face crop {i} is {img.Width}x{img.Height}x{img.Channels}, expected {s}x{s} grey");
            Input.Pixels.Apply(img.Data, x.Data.AsSpan(i * plane, plane));
        }
        return x;
    }

    /// <summary>Raw scores [N, classes] of standardised faces [N, 1, S, S].</summary>
    public float[] Logits(Tensor faces)
    {
        using var _ = GradMode.NoGrad();
        return Network.Forward(faces).Data;
    }

    /// <summary>Temperature-scaled probabilities [N, classes] (row-major) of grey face crops, in batches of at most 64.</summary>
    public float[] Classify(IReadOnlyList<Image> crops)
    {
        int c = Labels.Count;
        var probabilities = new float[crops.Count * c];
        var batch = new List<Image>(Math.Min(Chunk, crops.Count));
        for (int first = 0; first < crops.Count; first += Chunk)
        {
            int n = Math.Min(Chunk, crops.Count - first);
            batch.Clear();
            for (int i = 0; i < n; i++) batch.Add(crops[first + i]);
            var logits = Logits(Pixels(batch));
            for (int i = 0; i < n; i++)
                TemperatureScaling.Softmax(logits.AsSpan(i * c, c), Temperature, probabilities.AsSpan((first + i) * c, c));
        }
        return probabilities;
    }

    /// <summary>The face tracker the branch runs on video (made on first use); its detector serves other trackers (live input) too.</summary>
    public FaceTracker Tracker => _tracker.Value;

    /// <summary>
    /// How the branch decodes video: <paramref name="fps"/> frames per second, at most 320 px (faces in a frame are
    /// cropped to 48 px), I and P frames only (about half the H.264 decoding work when sampling a few frames per second), no deblocking filter.
    /// </summary>
    public VideoFrameOptions Decoding(double fps) => new() { Fps = fps, MaxSide = 320, SkipBFrames = true, SkipLoopFilter = true };

    /// <summary>Decodes <paramref name="path"/>'s video at <paramref name="fps"/>, tracks and classifies its face, for the clip and each window.</summary>
    public BranchOutput Run(string path, double fps, IReadOnlyList<TimeInterval> windows) =>
        Run(MediaDecoder.OpenVideo(path, Decoding(fps)), fps, windows);

    /// <summary>Tracks and classifies the face in the frames of <paramref name="reader"/> (opened with <see cref="Decoding"/>), for the clip and each window.</summary>
    public BranchOutput Run(VideoReader reader, double fps, IReadOnlyList<TimeInterval> windows)
    {
        var crops = new List<Image>();
        var times = new List<double>();
        var weights = new List<float>();
        int frames = 0;
        foreach (var f in _tracker.Value.Stream(reader))
        {
            frames++;
            if (f.Track.Face is not { } face) continue;
            var crop = FaceCropper.Crop(f.Frame.Image, face, Input.CropOptions);
            crops.Add(crop);
            times.Add(f.Track.Time);
            weights.Add(FaceQuality.Weight(crop));
        }
        double duration = frames / fps;
        if (frames == 0) return BranchOutput.Without(BranchName, BranchStatus.Failed, windows.Count, "the video stream has no frames");
        if (crops.Count == 0)
            return BranchOutput.Without(BranchName, BranchStatus.NoFace, windows.Count, $"no face found in any of the {frames} frames sampled at {fps:0.##} fps") with { Duration = duration };

        int c = Labels.Count;
        var probabilities = Classify(crops);
        var clip = Mean(probabilities, weights, c, _ => true);
        var result = new ClassProbabilities?[windows.Count];
        for (int w = 0; w < windows.Count; w++)
        {
            var window = windows[w];
            result[w] = Mean(probabilities, weights, c, i => window.Contains(times[i]));
        }
        return new BranchOutput(BranchName, BranchStatus.Used, clip, result, crops.Count, duration, null);
    }

    /// <summary>
    /// A detected face at least this fraction of the photo's shorter side means the photo already is a face crop
    /// (FER2013, CK+): re-cropping it around the detector's box (margins added, edges padded) frames it unlike the
    /// training faces, so it is classified whole. Chosen on FER2013 training images the model never saw: with the
    /// two-network branch, 0.5-0.75 are within 0.1 point of each other and cropping every face costs 1.3 points
    /// (results/2026-12-06/photo-fill).
    /// </summary>
    public const float TightCropFill = 0.7f;

    /// <summary>
    /// Classifies a photo: the most confident face BlazeFace finds, cropped as video frames are; where it finds none,
    /// or one filling the photo (<see cref="TightCropFill"/>), the photo is taken to be a tight face crop already and
    /// classified whole, its centre square in grey. The message says which.
    /// </summary>
    /// <param name="photo">The photo.</param>
    /// <param name="tenCrop">Average the ten-crop views (<see cref="TenCrop"/>) rather than classify the one face crop.</param>
    public BranchOutput RunPhoto(Image photo, bool tenCrop = true)
    {
        var best = BestFace(photo);
        if (best is not null && Fill(best, photo) >= TightCropFill) best = null;
        var crop = PhotoCrop(photo, best);
        string message = best is not null ? $"a face found in the photo (detector score {best.Score:0.00})"
            : "the face fills the photo (or none was detected): the photo was classified whole, as a tight face crop";
        if (tenCrop) return new BranchOutput(BranchName, BranchStatus.Used, new ClassProbabilities(Labels, TenCrop(crop)), [], 1, 0, message + "; ten-crop averaged");
        var p = new float[Labels.Count];
        TemperatureScaling.Softmax(Logits(Pixels([crop])), Temperature, p);
        return new BranchOutput(BranchName, BranchStatus.Used, new ClassProbabilities(Labels, p), [], 1, 0, message + "; one view");
    }

    /// <summary>The most confident face BlazeFace finds in <paramref name="photo"/>, or null.</summary>
    public FaceDetection? BestFace(Image photo)
    {
        FaceDetection? best = null;
        foreach (var d in _tracker.Value.Detector.Detect(photo))
            if (best is null || d.Score > best.Score) best = d;
        return best;
    }

    /// <summary>The detected box's longer side as a fraction of the photo's shorter side.</summary>
    public static float Fill(FaceDetection face, Image photo) => Math.Max(face.Box.Width, face.Box.Height) / Math.Min(photo.Width, photo.Height);

    /// <summary>The face crop of <paramref name="photo"/>: around <paramref name="face"/> as video frames are cropped, or (null) the whole photo's centre square in grey.</summary>
    public Image PhotoCrop(Image photo, FaceDetection? face)
    {
        if (face is not null) return FaceCropper.Crop(photo, face, Input.CropOptions);
        int side = Math.Min(photo.Width, photo.Height);
        return photo.Crop((photo.Width - side) / 2, (photo.Height - side) / 2, side, side).ToGray().Resize(Input.Size, Input.Size);
    }

    /// <summary>
    /// The temperature-scaled probabilities of one face averaged over its ten-crop views
    /// (<see cref="SpatialTransform.TenCrop"/>): on FER2013's test photos the default model's network gains 1.8 points
    /// with them (68.4 % against 66.6 %, results/2026-12-05/fer-recipe). Photos only: a video's many frames already
    /// average over small shifts, and ten views per frame would cost ten times the branch's network time.
    /// </summary>
    public float[] TenCrop(Image crop)
    {
        int c = Labels.Count;
        var faces = Pixels([crop]);
        var views = SpatialTransform.TenCrop(faces.Dim(2), faces.Dim(3));
        var logits = Logits(SpatialAugmentation.Apply(Tensor.Concat(Enumerable.Repeat(faces, views.Length).ToList(), 0), views));
        var mean = new float[c];
        var p = new float[c];
        for (int v = 0; v < views.Length; v++)
        {
            TemperatureScaling.Softmax(logits.AsSpan(v * c, c), Temperature, p);
            System.Numerics.Tensors.TensorPrimitives.Add(mean, p, mean);
        }
        System.Numerics.Tensors.TensorPrimitives.Multiply(mean, 1f / views.Length, mean);
        return mean;
    }

    /// <summary>Quality-weighted mean (<see cref="FrameMean"/>) of the rows of <paramref name="rows"/> [N, c] that <paramref name="keep"/> selects; null when none does.</summary>
    private ClassProbabilities? Mean(float[] rows, List<float> weights, int c, Func<int, bool> keep)
    {
        var mean = new FrameMean(c);
        for (int i = 0; i < rows.Length / c; i++)
            if (keep(i)) mean.Add(rows.AsSpan(i * c, c), weights[i]);
        return mean.Mean() is { } p ? new ClassProbabilities(Labels, p) : null;
    }
}
