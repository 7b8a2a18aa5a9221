using Aver.Features.Signal;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Features.Augmentation;

/// <summary>
/// Speed perturbation (Ko et al. 2015): the waveform played <c>factor</c> times as fast, tempo and pitch together,
/// by reading its samples as if recorded at rate × factor and resampling them back to the rate. A training clip
/// takes one of <see cref="Factors"/> or its own speed (1.0), each equally likely; 0.9 and 1.1 are the usual pair.
/// </summary>
/// <param name="Factors">The speeds besides 1.0 (each in [0.5, 2]).</param>
public sealed record SpeedPerturbation(IReadOnlyList<double> Factors)
{
    /// <summary>Throws naming the first factor outside [0.5, 2] or equal to 1.</summary>
    public void Validate()
    {
        foreach (double f in Factors)
            if (!(f >= 0.5 && f <= 2) || f == 1) throw new ArgumentException($"speed perturbation: factors must be in [0.5, 2] and not 1, got {f}");
    }

    /// <summary>1.0 or one of the factors, each with probability 1 / (factors + 1), from <paramref name="rng"/>.</summary>
    public double Draw(RandomStream rng)
    {
        int k = rng.NextInt(Factors.Count + 1);
        return k == 0 ? 1.0 : Factors[k - 1];
    }

    /// <summary>
    /// <paramref name="audio"/> at <paramref name="factor"/> times its speed, at its own sample rate (the same buffer for 1.0).
    /// The rate × factor is rounded to a whole 10 Hz so that the rate pair reduces to small numbers (17600/16000 = 11/10).
    /// </summary>
    public static AudioBuffer Apply(AudioBuffer audio, double factor)
    {
        if (factor == 1) return audio;
        int rate = audio.SampleRate, asRecorded = (int)Math.Round(rate * factor / 10) * 10;
        return new AudioBuffer(new Resampler(asRecorded, rate).Process(audio.Samples), rate);
    }
}
