using Aver.Media;
using Aver.Tensors;

namespace Aver.Features.Augmentation;

/// <summary>
/// A noise floor under a training clip: with probability <paramref name="Probability"/>, white Gaussian noise whose
/// level is a signal-to-noise ratio drawn uniformly (in dB) from [<paramref name="MinSnrDb"/>, <paramref name="MaxSnrDb"/>]
/// below the clip's RMS. Studio corpora (RAVDESS) are silent between words; real recordings never are, and a network
/// that has only seen digital silence there changes its answer when a faint hiss fills it (issue 15: white noise 30 dB
/// under the speech turned "sad" into "fear"). Training over a range of floors teaches it that the floor says nothing.
/// </summary>
public sealed record NoiseFloor(double MinSnrDb, double MaxSnrDb, double Probability = 0.5)
{
    /// <summary>Throws naming the first bad setting.</summary>
    public void Validate()
    {
        if (!(double.IsFinite(MinSnrDb) && double.IsFinite(MaxSnrDb) && MinSnrDb <= MaxSnrDb))
            throw new ArgumentException($"noise floor: the SNR range [{MinSnrDb}, {MaxSnrDb}] dB must be finite and ordered");
        if (!(Probability is > 0 and <= 1)) throw new ArgumentException($"noise floor: the probability must be in (0, 1], got {Probability}");
    }

    /// <summary>
    /// <paramref name="audio"/> with a floor drawn from <paramref name="rng"/>, or <paramref name="audio"/> itself when
    /// the draw says none (or the clip is digitally silent: it has no level to set a floor by).
    /// </summary>
    public AudioBuffer Apply(AudioBuffer audio, RandomStream rng)
    {
        if (rng.NextDouble() >= Probability) return audio;
        double snr = MinSnrDb + (MaxSnrDb - MinSnrDb) * rng.NextDouble();
        var x = audio.Samples;
        double sumSq = 0;
        foreach (float v in x) sumSq += (double)v * v;
        double rms = Math.Sqrt(sumSq / Math.Max(1, x.Length));
        if (!(rms > 0)) return audio;
        float sigma = (float)(rms * Math.Pow(10, -snr / 20));
        var y = new float[x.Length];
        rng.FillNormal(y, 0f, sigma);
        System.Numerics.Tensors.TensorPrimitives.Add(y, x, y);
        return new AudioBuffer(y, audio.SampleRate);
    }
}
