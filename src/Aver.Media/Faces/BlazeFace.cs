using System.Runtime.CompilerServices;
using Aver.Tensors;
using Aver.Tensors.Onnx;

namespace Aver.Media;

/// <summary>
/// MediaPipe BlazeFace, short-range front model (128x128), run by Aver's ONNX importer. A frame is
/// letterboxed to 128x128 RGB in [-1, 1] (MediaPipe's input range), the network gives per anchor a score
/// logit and 16 regressors (box centre offset, size, six key points, in input pixels), which
/// <see cref="BlazeFaceDecoder"/> turns into detections in frame pixels.
/// </summary>
public sealed class BlazeFace
{
    /// <summary>The square input size.</summary>
    public const int InputSize = 128;
    /// <summary>Anchors per image.</summary>
    public const int Anchors = 896;
    /// <summary>Regressors per anchor: box (4) and six key points (12).</summary>
    public const int Regressors = 16;

    private readonly OnnxModel _model;
    public BlazeFaceOptions Options { get; }
    public string ModelPath => _model.Path;
    /// <summary>The imported network (for profiling or inspection).</summary>
    public OnnxModel Network => _model;

    private BlazeFace(OnnxModel model, BlazeFaceOptions options) { _model = model; Options = options; }

    /// <summary>Loads the model (see <see cref="BlazeFaceModelFile.Find"/>).</summary>
    /// <exception cref="MediaException">The model file is not installed.</exception>
    public static BlazeFace Load(BlazeFaceOptions? options = null)
    {
        options ??= new BlazeFaceOptions();
        var path = BlazeFaceModelFile.Require(options.ModelPath);
        return new BlazeFace(OnnxModel.Load(path), options);
    }

    /// <summary>Pixels 0..255 (HWC RGB) into the model's range [-1, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Normalise(ReadOnlySpan<byte> pixels, Span<float> into)
    {
        for (int i = 0; i < pixels.Length; i++) into[i] = pixels[i] * (2f / 255f) - 1f;
    }

    /// <summary>
    /// The raw network outputs for a batch [N, 128, 128, 3] (NHWC, values in [-1, 1]): score logits [N, 896]
    /// and regressors [N, 896, 16], anchors in <see cref="SsdAnchors.Front128"/> order.
    /// </summary>
    public (Tensor Scores, Tensor Boxes) RunRaw(Tensor input)
    {
        if (input.Rank != 4 || input.Dim(1) != InputSize || input.Dim(2) != InputSize || input.Dim(3) != 3)
            throw new ShapeException($"BlazeFace: input must be [N, {InputSize}, {InputSize}, 3], got {ShapeMath.Format(input.Shape)}");
        var outs = _model.Run(new Dictionary<string, Tensor> { [_model.Inputs[0].Name] = input });
        int n = input.Dim(0);
        // The model splits its anchors in two heads: stride 8 (512) and stride 16 (384).
        var scores = Tensor.Concat([outs["Identity:0"].Reshape(n, 512), outs["Identity_1:0"].Reshape(n, 384)], 1);
        var boxes = Tensor.Concat([outs["Identity_2:0"].Reshape(n, 512, Regressors), outs["Identity_3:0"].Reshape(n, 384, Regressors)], 1);
        return (scores, boxes);
    }

    /// <summary>The faces in one frame, best first.</summary>
    public IReadOnlyList<FaceDetection> Detect(Image frame) => Detect([frame])[0];

    /// <summary>The faces in each frame (one forward pass per <see cref="BlazeFaceOptions.BatchSize"/> frames), best first.</summary>
    public IReadOnlyList<FaceDetection>[] Detect(IReadOnlyList<Image> frames)
    {
        var result = new IReadOnlyList<FaceDetection>[frames.Count];
        int batch = Math.Max(1, Options.BatchSize);
        for (int start = 0; start < frames.Count; start += batch)
        {
            int n = Math.Min(batch, frames.Count - start);
            var boxes = new Letterbox[n];
            var input = new float[n * InputSize * InputSize * 3];
            Engine.For(n, i =>
            {
                var f = frames[start + i];
                boxes[i] = Letterbox.For(f.Width, f.Height, InputSize);
                Normalise(boxes[i].Apply(f).Data, input.AsSpan(i * InputSize * InputSize * 3, InputSize * InputSize * 3));
            });
            var (scores, regs) = RunRaw(new Tensor(input, n, InputSize, InputSize, 3));
            for (int i = 0; i < n; i++)
                result[start + i] = BlazeFaceDecoder.Decode(scores.Data.AsSpan(i * Anchors, Anchors),
                    regs.Data.AsSpan(i * Anchors * Regressors, Anchors * Regressors), boxes[i], Options);
        }
        return result;
    }
}
