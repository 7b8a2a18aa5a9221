using System.Numerics.Tensors;
using Tensor = Aver.Tensors.Tensor;
using Aver.Tensors;
using Aver.Tensors.Nn;

namespace Aver.Models.Avef;

/// <summary>
/// A restricted Boltzmann machine with binary hidden units and binary or unit-variance Gaussian
/// visible units (<see cref="RbmVisible"/>), trained by contrastive divergence CD-k: one layer of
/// the greedy layer-wise pre-training of AVEF's DBN (§2.2.3, after Hinton et al. 2006).
/// Parameters: <c>weight</c> [hidden, visible] (a <see cref="Linear"/>'s layout, so it initialises
/// the DBN's sigmoid layer directly), <c>visible_bias</c> [visible], <c>hidden_bias</c> [hidden].
/// </summary>
public sealed class Rbm : Module
{
    public int VisibleSize { get; }
    public int HiddenSize { get; }
    public RbmVisible Visible { get; }
    public Tensor Weight { get; }
    public Tensor VisibleBias { get; }
    public Tensor HiddenBias { get; }

    /// <summary>Weights N(0, 0.01²), biases 0 (Hinton's guide, §8).</summary>
    public Rbm(int visibleSize, int hiddenSize, RbmVisible visible, RandomStream rng)
    {
        if (visibleSize < 1 || hiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(visibleSize), $"Rbm: sizes {visibleSize} x {hiddenSize} must be positive");
        VisibleSize = visibleSize; HiddenSize = hiddenSize; Visible = visible;
        Weight = RegisterParameter("weight", Tensor.Normal(rng, 0f, 0.01f, hiddenSize, visibleSize));
        VisibleBias = RegisterParameter("visible_bias", new Tensor(visibleSize));
        HiddenBias = RegisterParameter("hidden_bias", new Tensor(hiddenSize));
    }

    /// <summary>p(h = 1 | v) = σ(c + W v) [N, hidden] of visible data [N, visible], through autograd ops.</summary>
    public override Tensor Forward(Tensor v) => CheckData(v).Linear(Weight, HiddenBias).Sigmoid();

    /// <summary>p(h = 1 | v) for <paramref name="n"/> rows of <paramref name="v"/> into <paramref name="h"/> [n, hidden].</summary>
    public void HiddenProbabilities(ReadOnlySpan<float> v, int n, Span<float> h)
    {
        Blas.Sgemm(false, true, n, HiddenSize, VisibleSize, v, Weight.Data, h);
        for (int i = 0; i < n; i++)
        {
            var row = h.Slice(i * HiddenSize, HiddenSize);
            TensorPrimitives.Add(row, HiddenBias.Data, row);
            TensorPrimitives.Sigmoid(row, row);
        }
    }

    /// <summary>E[v | h] [n, visible]: σ(b + Wᵀh) for binary units, b + Wᵀh for Gaussian ones.</summary>
    public void VisibleMean(ReadOnlySpan<float> h, int n, Span<float> v)
    {
        Blas.Sgemm(false, false, n, VisibleSize, HiddenSize, h, Weight.Data, v);
        for (int i = 0; i < n; i++)
        {
            var row = v.Slice(i * VisibleSize, VisibleSize);
            TensorPrimitives.Add(row, VisibleBias.Data, row);
            if (Visible == RbmVisible.Bernoulli) TensorPrimitives.Sigmoid(row, row);
        }
    }

    /// <summary>
    /// Mean squared error per element between <paramref name="data"/> [N, visible] and its
    /// deterministic reconstruction E[v | p(h | v)]: the usual (if rough) progress measure of CD training.
    /// </summary>
    public float ReconstructionError(Tensor data)
    {
        int n = CheckData(data).Dim(0);
        var h = new float[(long)n * HiddenSize];
        var r = new float[(long)n * VisibleSize];
        HiddenProbabilities(data.Data, n, h);
        VisibleMean(h, n, r);
        return SquaredDistance(data.Data, r) / data.Size;
    }

    /// <summary>
    /// Mean free energy of the rows of <paramref name="data"/> [N, visible]: F(v) = −bᵀv − Σ_j softplus(c_j + W_j v)
    /// for binary visible units, ‖v − b‖²/2 − Σ_j softplus(c_j + W_j v) for Gaussian ones. Training lowers it on the data.
    /// </summary>
    public float FreeEnergy(Tensor data)
    {
        int n = CheckData(data).Dim(0);
        var pre = new float[(long)n * HiddenSize];
        Blas.Sgemm(false, true, n, HiddenSize, VisibleSize, data.Data, Weight.Data, pre);
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var v = data.Data.AsSpan(i * VisibleSize, VisibleSize);
            var x = pre.AsSpan(i * HiddenSize, HiddenSize);
            double e = 0;
            for (int j = 0; j < HiddenSize; j++)
            {
                double a = x[j] + HiddenBias.Data[j];
                e -= a > 0 ? a + Math.Log(1 + Math.Exp(-a)) : Math.Log(1 + Math.Exp(a)); // softplus, stable
            }
            if (Visible == RbmVisible.Bernoulli) e -= TensorPrimitives.Dot(v, VisibleBias.Data);
            else e += 0.5 * SquaredDistance(v, VisibleBias.Data);
            total += e;
        }
        return (float)(total / n);
    }

    /// <summary>
    /// Trains by CD-k on <paramref name="data"/> [N, visible] (minibatches in an order drawn from
    /// <paramref name="rng"/>, which also draws the hidden samples: the run is a function of the seed).
    /// Returns each epoch's mean reconstruction error of the CD chain's first reconstruction.
    /// </summary>
    public IReadOnlyList<float> Train(Tensor data, RbmTraining options, RandomStream rng)
    {
        options.Check();
        int n = CheckData(data).Dim(0), nv = VisibleSize, nh = HiddenSize, bs = Math.Min(options.BatchSize, n);
        var v0 = new float[bs * nv];
        var vk = new float[bs * nv];
        var h0 = new float[bs * nh];
        var hk = new float[bs * nh];
        var hs = new float[bs * nh];
        var gradW = new float[nh * nv];
        var velW = new float[nh * nv];
        var velB = new float[nv];
        var velC = new float[nh];
        var tmpB = new float[nv];
        var tmpC = new float[nh];
        var errors = new List<float>(options.Epochs);
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            float mom = (float)(epoch < options.MomentumSwitchEpoch ? options.InitialMomentum : options.Momentum);
            float lr = (float)options.LearningRate, wd = (float)options.WeightDecay;
            var order = rng.Permutation(n);
            double err = 0;
            for (int start = 0; start < n; start += bs)
            {
                int b = Math.Min(bs, n - start);
                for (int i = 0; i < b; i++) data.Data.AsSpan(order[start + i] * nv, nv).CopyTo(v0.AsSpan(i * nv));
                var v0s = v0.AsSpan(0, b * nv);
                var vks = vk.AsSpan(0, b * nv);
                var h0s = h0.AsSpan(0, b * nh);
                var hks = hk.AsSpan(0, b * nh);
                var hss = hs.AsSpan(0, b * nh);

                // Positive phase, then k Gibbs steps from a binary sample of h; the statistics use the
                // hidden probabilities (not samples) and the visible means (Hinton's guide, §3).
                HiddenProbabilities(v0s, b, h0s);
                Sample(h0s, hss, rng);
                for (int step = 1; step <= options.K; step++)
                {
                    VisibleMean(hss, b, vks);
                    if (step == 1) err += SquaredDistance(v0s, vks);
                    HiddenProbabilities(vks, b, hks);
                    if (step < options.K) Sample(hks, hss, rng);
                }

                // gradW = (h0ᵀ v0 − hkᵀ vk) / b
                float inv = 1f / b;
                Blas.Sgemm(true, false, nh, nv, b, inv, h0s, nh, v0s, nv, 0f, gradW, nv);
                Blas.Sgemm(true, false, nh, nv, b, -inv, hks, nh, vks, nv, 1f, gradW, nv);
                ColumnMeanDifference(v0s, vks, b, nv, tmpB);
                ColumnMeanDifference(h0s, hks, b, nh, tmpC);
                Update(Weight.Data, velW, gradW, mom, lr, wd);
                Update(VisibleBias.Data, velB, tmpB, mom, lr, 0f);
                Update(HiddenBias.Data, velC, tmpC, mom, lr, 0f);
            }
            errors.Add((float)(err / ((double)n * nv)));
        }
        return errors;
    }

    // vel = mom·vel + lr·(grad − wd·p); p += vel
    private static void Update(float[] p, float[] vel, float[] grad, float mom, float lr, float wd)
    {
        if (wd != 0) TensorPrimitives.MultiplyAdd(p, -wd, grad, grad);
        TensorPrimitives.Multiply(vel, mom, vel);
        TensorPrimitives.MultiplyAdd(grad, lr, vel, vel);
        TensorPrimitives.Add(p, vel, p);
    }

    private static void Sample(ReadOnlySpan<float> p, Span<float> s, RandomStream rng)
    {
        for (int i = 0; i < p.Length; i++) s[i] = rng.NextFloat() < p[i] ? 1f : 0f;
    }

    // dst[j] = mean over rows of (a[i, j] − b[i, j])
    private static void ColumnMeanDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int rows, int cols, Span<float> dst)
    {
        dst.Clear();
        for (int i = 0; i < rows; i++)
        {
            TensorPrimitives.Add(dst, a.Slice(i * cols, cols), dst);
            TensorPrimitives.Subtract(dst, b.Slice(i * cols, cols), dst);
        }
        TensorPrimitives.Multiply(dst, 1f / rows, dst);
    }

    private static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) { double d = a[i] - b[i]; s += d * d; }
        return (float)s;
    }

    private Tensor CheckData(Tensor data)
    {
        if (data.Rank != 2 || data.Dim(1) != VisibleSize)
            throw new ShapeException($"Rbm: expects data [N, {VisibleSize}], got {ShapeMath.Format(data.Shape)}");
        return data;
    }
}
