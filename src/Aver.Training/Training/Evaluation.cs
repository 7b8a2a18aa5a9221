using Aver.Data.Labels;
using Aver.Tensors;
using Aver.Training.Data;
using Aver.Data.Metrics;
using Aver.Training.Tasks;

namespace Aver.Training.Training;

/// <summary>A pass over examples without gradients: mean loss, predictions, and optionally the task's features.</summary>
/// <param name="Features">[N, D] features in the order of <see cref="Indices"/>, when requested and the task has them.</param>
/// <param name="Probabilities">[N, C] softmax of the scores, row-major in the order of <see cref="Indices"/>.</param>
public sealed record EvaluationResult(LabelSpace Labels, double Loss, int[] Indices, int[] Targets, int[] Predictions, float[,]? Features,
    float[]? Probabilities = null)
{
    public ConfusionMatrix Confusion => ConfusionMatrix.From(Labels, Targets, Predictions);
    public double Accuracy => Confusion.Accuracy;
}

/// <summary>Runs a task over examples in evaluation mode.</summary>
public static class Evaluation
{
    /// <summary>
    /// The ensemble of several passes over the same examples (in the same order): their mean probability, its argmax as
    /// the prediction; loss and features are the first pass's.
    /// </summary>
    public static EvaluationResult MeanOf(IReadOnlyList<EvaluationResult> passes)
    {
        var first = passes[0];
        if (passes.Count == 1) return first;
        int n = first.Indices.Length, c = first.Labels.Count;
        var mean = new float[n * c];
        foreach (var p in passes)
        {
            if (!p.Indices.AsSpan().SequenceEqual(first.Indices) || p.Probabilities is null)
                throw new ArgumentException("an ensemble's passes must cover the same examples in the same order, with probabilities", nameof(passes));
            System.Numerics.Tensors.TensorPrimitives.Add(mean, p.Probabilities, mean);
        }
        System.Numerics.Tensors.TensorPrimitives.Multiply(mean, 1f / passes.Count, mean);
        return first with { Predictions = ArgMax(Tensor.FromArray(mean, n, c)), Probabilities = mean };
    }

    /// <summary>The index of the largest score in each row of <paramref name="scores"/> [N, C].</summary>
    public static int[] ArgMax(Tensor scores)
    {
        if (scores.Rank != 2) throw new ShapeException($"ArgMax: expects scores [N, C], got {ShapeMath.Format(scores.Shape)}");
        int n = scores.Dim(0), c = scores.Dim(1);
        var data = scores.Data;
        var result = new int[n];
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int j = 1; j < c; j++) if (data[i * c + j] > data[i * c + best]) best = j;
            result[i] = best;
        }
        return result;
    }

    /// <summary>
    /// Evaluates <paramref name="task"/> on <paramref name="indices"/> of <paramref name="set"/> in evaluation
    /// mode (restoring the previous mode afterwards). Loss is the example-weighted mean of batch losses.
    /// </summary>
    public static EvaluationResult Run<TInput>(ITrainingTask<TInput> task, IExampleSet<TInput> set, IReadOnlyList<int> indices,
        int batchSize, bool withFeatures = false, CancellationToken cancel = default)
    {
        bool wasTraining = task.Model.Training;
        task.Model.Eval();
        try
        {
            using var _ = GradMode.NoGrad();
            double lossSum = 0;
            var idx = new List<int>(indices.Count);
            var targets = new List<int>(indices.Count);
            var predictions = new List<int>(indices.Count);
            var probabilities = new List<float>(indices.Count * set.Labels.Count);
            var features = new List<float[]>();
            int featureSize = 0;
            foreach (var batch in set.Batches(indices, batchSize))
            {
                cancel.ThrowIfCancellationRequested();
                var output = task.Step(batch.Input, batch.Targets);
                lossSum += output.Loss.Item() * batch.Count;
                idx.AddRange(batch.Indices);
                targets.AddRange(batch.Targets);
                predictions.AddRange(ArgMax(output.Scores));
                probabilities.AddRange(output.Scores.Softmax(-1).Data);
                if (withFeatures && task.Features(batch.Input) is Tensor f)
                {
                    featureSize = f.Size / batch.Count;
                    features.Add((float[])f.Data.Clone());
                }
            }
            float[,]? matrix = null;
            if (features.Count > 0)
            {
                matrix = new float[idx.Count, featureSize];
                int row = 0;
                foreach (var chunk in features)
                    for (int r = 0; r < chunk.Length / featureSize; r++, row++)
                        for (int d = 0; d < featureSize; d++) matrix[row, d] = chunk[r * featureSize + d];
            }
            return new EvaluationResult(set.Labels, idx.Count == 0 ? double.NaN : lossSum / idx.Count, idx.ToArray(), targets.ToArray(), predictions.ToArray(), matrix,
                probabilities.ToArray());
        }
        finally { task.Model.Train(wasTraining); }
    }
}
