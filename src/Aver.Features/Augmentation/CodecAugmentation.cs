using Aver.Tensors;

namespace Aver.Features.Augmentation;

/// <summary>
/// A lossy codec over a training clip: with probability <paramref name="Probability"/>, the clip as mp3 at one of
/// <paramref name="Kbps"/> (drawn uniformly) and decoded back (<see cref="Aver.Media.AudioCodec.Mp3RoundTrip"/>).
/// RAVDESS is studio wav; users send mp3, AAC in mp4 and phone audio, whose quantisation noise fills the silences and
/// thins the highs. A network that never heard it answered an mp3 of a clip differently from its wav (issue 15).
/// </summary>
public sealed record CodecAugmentation(IReadOnlyList<int> Kbps, double Probability = 0.5)
{
    /// <summary>Throws naming the first bad setting.</summary>
    public void Validate()
    {
        if (Kbps.Count == 0) throw new ArgumentException("codec: give at least one mp3 bitrate");
        foreach (int k in Kbps)
            if (k is < Aver.Media.AudioCodec.MinKbps or > Aver.Media.AudioCodec.MaxKbps)
                throw new ArgumentException($"codec: an mp3 bitrate is {Aver.Media.AudioCodec.MinKbps}-{Aver.Media.AudioCodec.MaxKbps} kbit/s, got {k}");
        if (!(Probability is > 0 and <= 1)) throw new ArgumentException($"codec: the probability must be in (0, 1], got {Probability}");
    }

    /// <summary>The bitrate of this draw, or null for the clip as it is.</summary>
    public int? Draw(RandomStream rng) => rng.NextDouble() < Probability ? Kbps[rng.NextInt(Kbps.Count)] : null;
}
