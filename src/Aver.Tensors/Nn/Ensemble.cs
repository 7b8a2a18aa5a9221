namespace Aver.Tensors.Nn;

/// <summary>
/// Classifiers trained apart answering together: the forward pass is the log of the members' mean class
/// probabilities, so a softmax of it is the average of their softmaxes (the usual ensemble of independently trained
/// networks; Lakshminarayanan et al. 2017 §2.4) and a temperature can still scale it. Children are named "0", "1", ...
/// </summary>
public sealed class Ensemble : Module
{
    // Keeps the log finite where every member gives a class no probability at all.
    private const float Floor = 1e-30f;
    private readonly List<Module> _members = [];

    public Ensemble(IEnumerable<Module> members)
    {
        foreach (var m in members)
        {
            RegisterModule(_members.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), m);
            _members.Add(m);
        }
        if (_members.Count < 2) throw new ArgumentException("an ensemble needs at least two members", nameof(members));
    }

    public IReadOnlyList<Module> Members => _members;

    /// <summary>[N, classes] scores of every member (over the last axis) in; log mean probability out.</summary>
    public override Tensor Forward(Tensor input)
    {
        Tensor? sum = null;
        foreach (var m in _members)
        {
            var p = m.Forward(input).Softmax(-1);
            sum = sum is null ? p : sum + p;
        }
        return (sum! * (1f / _members.Count) + Floor).Log();
    }

    /// <summary>
    /// The same answer from scores computed apart, for members that read different inputs (an audio branch whose
    /// networks each have their own front end): <paramref name="memberScores"/> holds each member's [N, classes] scores,
    /// row-major; the result is the log of their mean softmax, [N, classes].
    /// </summary>
    public static float[] LogMeanProbability(IReadOnlyList<float[]> memberScores, int classes)
    {
        if (memberScores.Count == 0) throw new ArgumentException("an ensemble needs at least one member's scores", nameof(memberScores));
        int length = memberScores[0].Length;
        var mean = new float[length];
        var p = new float[classes];
        foreach (var scores in memberScores)
        {
            if (scores.Length != length) throw new ArgumentException($"members scored {length} and {scores.Length} values", nameof(memberScores));
            for (int row = 0; row < length / classes; row++)
            {
                System.Numerics.Tensors.TensorPrimitives.SoftMax(scores.AsSpan(row * classes, classes), p);
                System.Numerics.Tensors.TensorPrimitives.Add(mean.AsSpan(row * classes, classes), p, mean.AsSpan(row * classes, classes));
            }
        }
        for (int k = 0; k < length; k++) mean[k] = MathF.Log(mean[k] / memberScores.Count + Floor);
        return mean;
    }
}
