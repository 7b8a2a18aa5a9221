namespace Aver.Tensors.Nn;

/// <summary>
/// Weight initialisations with PyTorch's defaults. Modules take a <see cref="RandomStream"/>;
/// when none is given they draw from <see cref="Generator"/>, seeded by <see cref="Seed"/>
/// (like <c>torch.manual_seed</c>).
/// </summary>
public static class Init
{
    private static RandomStream _generator = new(0);

    /// <summary>The stream modules draw from when constructed without one.</summary>
    public static RandomStream Generator => _generator;

    public static void Seed(ulong seed) => _generator = new RandomStream(seed);

    public static void Uniform(Tensor t, float low, float high, RandomStream? rng = null) => (rng ?? _generator).FillUniform(t.Data, low, high);

    public static void Normal(Tensor t, float mean, float std, RandomStream? rng = null) => (rng ?? _generator).FillNormal(t.Data, mean, std);

    public static void Constant(Tensor t, float value) => Array.Fill(t.Data, value);

    /// <summary>PyTorch's default for Linear and Conv weights: kaiming_uniform with a = sqrt(5), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)).</summary>
    public static void DefaultWeight(Tensor w, int fanIn, RandomStream? rng = null)
    {
        float bound = fanIn > 0 ? 1f / MathF.Sqrt(fanIn) : 0f;
        Uniform(w, -bound, bound, rng);
    }

    /// <summary>kaiming_normal with fan_out and ReLU gain (torchvision ResNet's conv init): N(0, sqrt(2 / fan_out)).</summary>
    public static void KaimingNormalFanOut(Tensor w, int fanOut, RandomStream? rng = null)
        => Normal(w, 0f, MathF.Sqrt(2f / fanOut), rng);

    /// <summary>Xavier/Glorot uniform: U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)).</summary>
    public static void XavierUniform(Tensor w, int fanIn, int fanOut, float gain = 1f, RandomStream? rng = null)
    {
        float a = gain * MathF.Sqrt(6f / (fanIn + fanOut));
        Uniform(w, -a, a, rng);
    }
}
