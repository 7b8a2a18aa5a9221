using Aver.Data.Metrics;
using Aver.Features.Augmentation;
using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Training.Pretraining;

/// <summary>
/// Ten-crop test-time averaging (Krizhevsky et al. 2012, §4.1: "the four corner patches and the center patch
/// as well as their horizontal reflections", softmax averaged; the FER ResNets/VGGs report it too). Here a
/// crop is a zoomed view at the network's input size: a zoom of <see cref="Zoom"/> (1.1 ≈ a 44 px crop of a
/// 48 px face) centred or pushed into a corner, bilinearly resampled by <see cref="SpatialTransform"/>, so the
/// views stay inside the training augmentation's range (zoom ±10 %, shift ±8 %).
/// </summary>
public static class TenCrop
{
    /// <summary>The default zoom: 48/44, the crop size of the FER literature's ten-crop on 48 px faces.</summary>
    public const double Zoom = 48.0 / 44.0;

    /// <summary>The ten views: centre, top-left, top-right, bottom-left, bottom-right, then the same mirrored.</summary>
    public static SpatialTransform[] Views(int height, int width, double zoom = Zoom)
    {
        // With zoom s, shifting by (s − 1)·c_x (c_x = (W − 1)/2) puts the source's edge on the output's edge.
        double sx = (zoom - 1) * (width - 1) / 2 / width, sy = (zoom - 1) * (height - 1) / 2 / height;
        (double X, double Y)[] offsets = [(0, 0), (sx, sy), (-sx, sy), (sx, -sy), (-sx, -sy)];
        var views = new SpatialTransform[10];
        for (int k = 0; k < 10; k++)
            views[k] = new SpatialTransform(zoom, offsets[k % 5].X, offsets[k % 5].Y, k >= 5, 0, 0, 1);
        return views;
    }

    /// <summary>
    /// Class probabilities [N, classes] of <paramref name="model"/> on <paramref name="images"/> [N, C, H, W]:
    /// the mean over <paramref name="views"/> of each view's softmax. Runs in evaluation mode without gradients.
    /// </summary>
    public static Tensor Probabilities(Module model, Tensor images, IReadOnlyList<SpatialTransform> views)
    {
        bool wasTraining = model.Training;
        model.Eval();
        try
        {
            using var _ = GradMode.NoGrad();
            Tensor? sum = null;
            foreach (var view in views)
            {
                var batch = SpatialAugmentation.Apply(images, view);
                var p = Softmax(model.Forward(batch));
                if (sum is null) sum = p;
                else System.Numerics.Tensors.TensorPrimitives.Add(sum.Data, p.Data, sum.Data);
            }
            if (sum is null) throw new ArgumentException("TenCrop: no views", nameof(views));
            System.Numerics.Tensors.TensorPrimitives.Multiply(sum.Data, 1f / views.Count, sum.Data);
            return sum;
        }
        finally { model.Train(wasTraining); }
    }

    /// <summary>The confusion matrix of ten-crop predictions over <paramref name="images"/> with <paramref name="targets"/>, in batches.</summary>
    public static ConfusionMatrix Evaluate(Module model, Tensor images, int[] targets, Aver.Data.Labels.LabelSpace labels, int batchSize = 128)
    {
        int n = images.Dim(0);
        var views = Views(images.Dim(2), images.Dim(3));
        var predictions = new int[n];
        for (int start = 0; start < n; start += batchSize)
        {
            int count = Math.Min(batchSize, n - start);
            var idx = new int[count];
            for (int i = 0; i < count; i++) idx[i] = start + i;
            Training.Evaluation.ArgMax(Probabilities(model, images.IndexSelect(0, idx), views)).CopyTo(predictions, start);
        }
        return ConfusionMatrix.From(labels, targets, predictions);
    }

    /// <summary>Row-wise softmax of scores [N, C] into a new tensor.</summary>
    public static Tensor Softmax(Tensor scores)
    {
        int n = scores.Dim(0), c = scores.Dim(1);
        var p = new Tensor(n, c);
        for (int i = 0; i < n; i++) System.Numerics.Tensors.TensorPrimitives.SoftMax(scores.Data.AsSpan(i * c, c), p.Data.AsSpan(i * c, c));
        return p;
    }
}
