using Aver.Data.Metrics;
using Aver.Features.Augmentation;
using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Training.Pretraining;

/// <summary>
/// Ten-crop test-time averaging of a network's softmax over <see cref="SpatialTransform.TenCrop"/>'s views (the FER
/// ResNets/VGGs report it; prediction on photos uses the same views), for the test pass of <c>aver pretrain</c>.
/// </summary>
public static class TenCrop
{

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

    /// <summary>
    /// <see cref="Probabilities"/> over <paramref name="images"/> [N, C, H, W] in batches of <paramref name="batchSize"/>
    /// (the views of a whole set at once would not fit): class probabilities [N, classes].
    /// </summary>
    public static Tensor ProbabilitiesInBatches(Module model, Tensor images, IReadOnlyList<SpatialTransform> views, int batchSize = 128)
    {
        int n = images.Dim(0);
        float[]? all = null;
        int classes = 0;
        for (int start = 0; start < n; start += batchSize)
        {
            int count = Math.Min(batchSize, n - start);
            var idx = new int[count];
            for (int i = 0; i < count; i++) idx[i] = start + i;
            var p = Probabilities(model, images.IndexSelect(0, idx), views);
            classes = p.Dim(1);
            all ??= new float[n * classes];
            p.Data.AsSpan(0, count * classes).CopyTo(all.AsSpan(start * classes));
        }
        return Tensor.FromArray(all ?? [], n, classes);
    }

    /// <summary>The confusion matrix of ten-crop predictions over <paramref name="images"/> with <paramref name="targets"/>, in batches.</summary>
    public static ConfusionMatrix Evaluate(Module model, Tensor images, int[] targets, Aver.Data.Labels.LabelSpace labels, int batchSize = 128)
    {
        var views = SpatialTransform.TenCrop(images.Dim(2), images.Dim(3));
        return ConfusionMatrix.From(labels, targets, Training.Evaluation.ArgMax(ProbabilitiesInBatches(model, images, views, batchSize)));
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
