namespace Aver.Models.Calibration;

/// <summary>
/// Temperature scaling (Guo et al. 2017, "On calibration of modern neural networks"): class
/// probabilities softmax(z / T) with one scalar T > 0 fitted on held-out data by minimising the
/// negative log-likelihood. T does not change the arg-max, so accuracy is unaffected; it makes the
/// probabilities of different branches comparable before they are averaged.
/// </summary>
public static class TemperatureScaling
{
    /// <summary>softmax(<paramref name="logits"/> / <paramref name="temperature"/>) into <paramref name="into"/> (same length).</summary>
    public static void Softmax(ReadOnlySpan<float> logits, float temperature, Span<float> into)
    {
        if (into.Length != logits.Length) throw new ArgumentException($"softmax: {logits.Length} logits but {into.Length} outputs");
        float max = float.NegativeInfinity;
        foreach (float z in logits) max = Math.Max(max, z);
        double sum = 0;
        for (int i = 0; i < logits.Length; i++) sum += into[i] = MathF.Exp((logits[i] - max) / temperature);
        for (int i = 0; i < into.Length; i++) into[i] = (float)(into[i] / sum);
    }

    /// <summary>Mean negative log-likelihood of <paramref name="targets"/> under softmax(logits / T); logits are [N, C] row-major.</summary>
    public static double NegativeLogLikelihood(float[] logits, int classes, int[] targets, double temperature)
    {
        Check(logits, classes, targets);
        double total = 0;
        for (int n = 0; n < targets.Length; n++)
        {
            var row = logits.AsSpan(n * classes, classes);
            double max = double.NegativeInfinity;
            foreach (float z in row) max = Math.Max(max, z / temperature);
            double sum = 0;
            foreach (float z in row) sum += Math.Exp(z / temperature - max);
            total += max + Math.Log(sum) - row[targets[n]] / temperature;
        }
        return total / targets.Length;
    }

    /// <summary>
    /// The temperature in [<paramref name="min"/>, <paramref name="max"/>] minimising the NLL of <paramref name="targets"/>
    /// (golden-section search on log T; the NLL is unimodal in T for fixed logits).
    /// </summary>
    public static double Fit(float[] logits, int classes, int[] targets, double min = 0.05, double max = 20)
    {
        Check(logits, classes, targets);
        if (targets.Length == 0) throw new ArgumentException("temperature scaling needs at least one example");
        double a = Math.Log(min), b = Math.Log(max), g = (Math.Sqrt(5) - 1) / 2;
        double c = b - g * (b - a), d = a + g * (b - a);
        double fc = NegativeLogLikelihood(logits, classes, targets, Math.Exp(c)), fd = NegativeLogLikelihood(logits, classes, targets, Math.Exp(d));
        for (int i = 0; i < 60; i++)
        {
            if (fc < fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = NegativeLogLikelihood(logits, classes, targets, Math.Exp(c)); }
            else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = NegativeLogLikelihood(logits, classes, targets, Math.Exp(d)); }
        }
        return Math.Exp((a + b) / 2);
    }

    private static void Check(float[] logits, int classes, int[] targets)
    {
        if (classes < 1 || logits.Length != targets.Length * classes)
            throw new ArgumentException($"temperature scaling: {logits.Length} logits do not make {targets.Length} rows of {classes} classes");
        foreach (int t in targets)
            if (t < 0 || t >= classes) throw new ArgumentOutOfRangeException(nameof(targets), t, $"target outside [0, {classes})");
    }
}
