using Aver.Tensors;

namespace Aver.Features.Augmentation;

/// <summary>
/// MRPN's time augmentation (§4.4 items 2 and 4, Figure 9): a random slice of a clip, at least
/// <c>minSeconds</c> long (the whole clip when it is shorter). The same interval cuts both the audio and
/// the face frames, so the modalities stay aligned.
/// </summary>
public static class TimeSlice
{
    /// <summary>
    /// A slice of a clip of <paramref name="duration"/> seconds: length uniform in [min, duration], start
    /// uniform over the positions where it fits. Draws two numbers from <paramref name="rng"/>.
    /// </summary>
    public static TimeInterval Random(double duration, RandomStream rng, double minSeconds = 1.0)
    {
        if (!(duration >= 0)) throw new ArgumentOutOfRangeException(nameof(duration), duration, "TimeSlice: duration must be non-negative");
        if (!(minSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(minSeconds), minSeconds, "TimeSlice: minimum length must be positive");
        double u = rng.NextDouble(), v = rng.NextDouble();
        if (duration <= minSeconds) return new TimeInterval(0, duration);
        double length = minSeconds + u * (duration - minSeconds);
        double start = v * (duration - length);
        return new TimeInterval(start, start + length);
    }
}
