using Aver.Tensors;

namespace Aver.Training.Embedding;

/// <summary>Settings of a t-SNE run (van der Maaten &amp; Hinton 2008), with the reference implementation's defaults.</summary>
public sealed record TsneOptions
{
    public double Perplexity { get; init; } = 30;
    public int Iterations { get; init; } = 1000;
    /// <summary>Step size; null uses max(n / early exaggeration / 4, 50), as scikit-learn's "auto".</summary>
    public double? LearningRate { get; init; }
    public double EarlyExaggeration { get; init; } = 12;
    public int ExaggerationIterations { get; init; } = 250;
    public ulong Seed { get; init; }
}

/// <summary>
/// Exact t-SNE: O(n²) memory and time per iteration, fine for a few thousand points (MRPN Figure 4
/// plots the fused features of a test fold). Gaussian affinities calibrated to the perplexity by binary
/// search, symmetrised; Student-t affinities in 2-D; gradient descent with momentum, per-coordinate gains
/// and early exaggeration. Deterministic for a seed (rows are processed in parallel, but every sum is
/// reduced in a fixed order).
/// </summary>
public static class Tsne
{
    /// <summary>Embeds the rows of <paramref name="x"/> [n, d] into the plane; returns [n, 2].</summary>
    public static double[,] Embed(float[,] x, TsneOptions? options = null)
    {
        options ??= new TsneOptions();
        int n = x.GetLength(0);
        var y = new double[n, 2];
        if (n < 2) return y;
        var p = Affinities(SquaredDistances(x), Math.Min(options.Perplexity, (n - 1) / 3.0));
        double lr = options.LearningRate ?? Math.Max(n / options.EarlyExaggeration / 4, 50);

        var rng = new RandomStream(options.Seed).Fork("tsne-init");
        var flat = new double[n * 2];
        for (int i = 0; i < flat.Length; i++) flat[i] = 1e-4 * rng.NextNormal();
        var update = new double[n * 2];
        var gains = new double[n * 2];
        Array.Fill(gains, 1.0);
        var grad = new double[n * 2];
        var num = new float[(long)n * n];
        var rowZ = new double[n];

        for (int it = 0; it < options.Iterations; it++)
        {
            double exaggeration = it < options.ExaggerationIterations ? options.EarlyExaggeration : 1;
            double momentum = it < options.ExaggerationIterations ? 0.5 : 0.8;
            // Student-t numerators and their total Z.
            Engine.For(n, i =>
            {
                double z = 0, yi0 = flat[2 * i], yi1 = flat[2 * i + 1];
                long row = (long)i * n;
                for (int j = 0; j < n; j++)
                {
                    if (j == i) { num[row + j] = 0; continue; }
                    double d0 = yi0 - flat[2 * j], d1 = yi1 - flat[2 * j + 1];
                    float q = (float)(1 / (1 + d0 * d0 + d1 * d1));
                    num[row + j] = q;
                    z += q;
                }
                rowZ[i] = z;
            });
            double zSum = 0;
            for (int i = 0; i < n; i++) zSum += rowZ[i];
            // dC/dy_i = 4 Σ_j (p_ij − q_ij) num_ij (y_i − y_j)
            Engine.For(n, i =>
            {
                double g0 = 0, g1 = 0, yi0 = flat[2 * i], yi1 = flat[2 * i + 1];
                long row = (long)i * n;
                for (int j = 0; j < n; j++)
                {
                    double w = num[row + j];
                    double m = (exaggeration * p[row + j] - w / zSum) * w;
                    g0 += m * (yi0 - flat[2 * j]);
                    g1 += m * (yi1 - flat[2 * j + 1]);
                }
                grad[2 * i] = 4 * g0;
                grad[2 * i + 1] = 4 * g1;
            });
            for (int k = 0; k < flat.Length; k++)
            {
                gains[k] = Math.Sign(grad[k]) != Math.Sign(update[k]) ? gains[k] + 0.2 : Math.Max(gains[k] * 0.8, 0.01);
                update[k] = momentum * update[k] - lr * gains[k] * grad[k];
                flat[k] += update[k];
            }
            Center(flat, n);
        }
        for (int i = 0; i < n; i++) { y[i, 0] = flat[2 * i]; y[i, 1] = flat[2 * i + 1]; }
        return y;
    }

    private static void Center(double[] flat, int n)
    {
        double m0 = 0, m1 = 0;
        for (int i = 0; i < n; i++) { m0 += flat[2 * i]; m1 += flat[2 * i + 1]; }
        m0 /= n; m1 /= n;
        for (int i = 0; i < n; i++) { flat[2 * i] -= m0; flat[2 * i + 1] -= m1; }
    }

    /// <summary>Squared Euclidean distances [n·n] between the rows of <paramref name="x"/> (through one GEMM).</summary>
    public static double[] SquaredDistances(float[,] x)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        var data = new float[n * d];
        Buffer.BlockCopy(x, 0, data, 0, data.Length * sizeof(float));
        var t = new Tensor(data, n, d);
        Tensor gram;
        using (GradMode.NoGrad()) gram = t.MatMul(t.Transpose(0, 1));
        var g = gram.Data;
        var dist = new double[(long)n * n];
        Engine.For(n, i =>
        {
            for (int j = 0; j < n; j++)
                dist[(long)i * n + j] = i == j ? 0 : Math.Max(0, (double)g[i * n + i] + g[j * n + j] - 2.0 * g[i * n + j]);
        });
        return dist;
    }

    /// <summary>
    /// Symmetric joint probabilities p_ij = (p_j|i + p_i|j) / 2n, each conditional Gaussian's precision found by
    /// binary search so that its entropy is log(perplexity).
    /// </summary>
    public static double[] Affinities(double[] dist, double perplexity)
    {
        int n = (int)Math.Round(Math.Sqrt(dist.Length));
        var cond = new double[(long)n * n];
        double target = Math.Log(perplexity);
        Engine.For(n, i =>
        {
            long row = (long)i * n;
            double beta = 1, lo = double.NegativeInfinity, hi = double.PositiveInfinity;
            // Subtracting the nearest distance keeps exp() from underflowing; it cancels in the normalisation.
            double dmin = double.MaxValue;
            for (int j = 0; j < n; j++) if (j != i) dmin = Math.Min(dmin, dist[row + j]);
            for (int step = 0; step < 100; step++)
            {
                double sum = 0, weighted = 0;
                for (int j = 0; j < n; j++)
                {
                    if (j == i) { cond[row + j] = 0; continue; }
                    double e = Math.Exp(-(dist[row + j] - dmin) * beta);
                    cond[row + j] = e;
                    sum += e;
                    weighted += (dist[row + j] - dmin) * e;
                }
                double entropy = Math.Log(sum) + beta * weighted / sum;
                for (int j = 0; j < n; j++) cond[row + j] /= sum;
                double diff = entropy - target;
                if (Math.Abs(diff) < 1e-5) break;
                if (diff > 0) { lo = beta; beta = double.IsPositiveInfinity(hi) ? beta * 2 : (beta + hi) / 2; }
                else { hi = beta; beta = double.IsNegativeInfinity(lo) ? beta / 2 : (beta + lo) / 2; }
            }
        });
        var p = new double[(long)n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                p[(long)i * n + j] = Math.Max((cond[(long)i * n + j] + cond[(long)j * n + i]) / (2.0 * n), 1e-12);
        return p;
    }
}
