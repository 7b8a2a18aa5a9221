using Aver.Tensors;

namespace Aver.Features.Augmentation;

/// <summary>
/// SpecAugment's frequency and time masking (Park et al. 2019, §2) as the tuned PyTorch audio peer
/// (<c>../shared/peers/ravdess-audio-cnn-tuned.py</c>) applies it to each standardised training crop:
/// <see cref="Masks"/> rounds of one frequency mask of f ~ U{0..MaxBands} bands at f0 ~ U{0..mels - f}
/// and one time mask of w ~ U{0..MaxFrames} frames at w0 ~ U{0..frames - w}, set to <see cref="Value"/>.
/// </summary>
/// <param name="Masks">Rounds of one frequency and one time mask (the tuned peer's 2); 0 turns it off.</param>
/// <param name="MaxBands">Widest frequency mask (the tuned peer's 8 of 64 bands).</param>
/// <param name="MaxFrames">Widest time mask (the tuned peer's 25 of 301 frames).</param>
/// <param name="Value">What masked cells become (0 = the band mean of standardised features).</param>
public sealed record SpecAugment(int Masks = 2, int MaxBands = 8, int MaxFrames = 25, float Value = 0f)
{
    /// <summary>Masks one image [mels, frames] in place, drawing four numbers per round from <paramref name="rng"/>.</summary>
    public void Apply(Span<float> image, int mels, int frames, RandomStream rng)
    {
        if (image.Length != mels * frames) throw new ArgumentException($"SpecAugment: {image.Length} values are not a [{mels}, {frames}] image");
        for (int round = 0; round < Masks; round++)
        {
            int f = rng.NextInt(Math.Min(MaxBands, mels) + 1), f0 = rng.NextInt(mels - f + 1);
            image.Slice(f0 * frames, f * frames).Fill(Value);
            int w = rng.NextInt(Math.Min(MaxFrames, frames) + 1), w0 = rng.NextInt(frames - w + 1);
            for (int m = 0; m < mels; m++) image.Slice(m * frames + w0, w).Fill(Value);
        }
    }
}

/// <summary>
/// mixup (Zhang et al. 2018): a batch mixed with a permutation of itself, x = λ x + (1 − λ) x[perm], the loss
/// λ CE(y) + (1 − λ) CE(y[perm]), with λ ~ Beta(α, α) per batch (the tuned peer's α = 0.4).
/// </summary>
public static class Mixup
{
    /// <summary>λ ~ Beta(<paramref name="alpha"/>, <paramref name="alpha"/>), from two Gamma(α) draws.</summary>
    public static double Lambda(double alpha, RandomStream rng)
    {
        if (!(alpha > 0)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Mixup: alpha must be positive");
        double a = Gamma(alpha, rng), b = Gamma(alpha, rng);
        return a + b > 0 ? a / (a + b) : 0.5;
    }

    /// <summary>Gamma(shape, 1) by Marsaglia and Tsang (2000); a shape below 1 boosts Gamma(shape + 1) by U^(1/shape).</summary>
    public static double Gamma(double shape, RandomStream rng)
    {
        if (shape < 1) return Gamma(shape + 1, rng) * Math.Pow(1.0 - rng.NextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x = rng.NextNormal(), v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = 1.0 - rng.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }
}
