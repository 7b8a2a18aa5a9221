using Aver.Media;

namespace Aver.Features.Vad;

/// <summary>What <see cref="SpeechPresence.Check"/> found: whether there is sound to answer, and if not, why.</summary>
/// <param name="PeakDb">Level of the loudest 10 % of 20-ms frames, dB relative to full scale.</param>
/// <param name="FloorDb">Level of the quietest 10 % (the clip's own noise floor).</param>
public readonly record struct SpeechCheck(bool HasSpeech, double PeakDb, double FloorDb, string? Reason);

/// <summary>
/// The one decision "is there anything to answer in this audio", shared by every audio model. Not an absolute level
/// (speech recorded at -60 dBFS is still speech) but the clip against its own noise floor: 20-ms frame levels, the
/// loudest 10 % against the quietest 10 %. Digital silence (every frame below -100 dBFS) and a steady noise with no
/// louder events in it (peak within 6 dB of its floor) have nothing to answer; anything else is left to the model.
/// </summary>
public static class SpeechPresence
{
    /// <summary>Below this every frame is digital silence (16-bit PCM's quantisation noise is about -100 dBFS).</summary>
    public const double SilenceDb = -100;

    /// <summary>A clip whose loud frames rise less than this over its floor holds steady noise, not speech.</summary>
    public const double MinDynamicRangeDb = 6;

    public static SpeechCheck Check(AudioBuffer audio)
    {
        int frame = Math.Max(1, audio.SampleRate / 50), count = audio.Samples.Length / frame;
        if (count == 0) return new SpeechCheck(false, double.NegativeInfinity, double.NegativeInfinity, "silent: the audio is shorter than 20 ms");
        var levels = new double[count];
        var x = audio.Samples;
        for (int f = 0; f < count; f++)
        {
            double sq = 0;
            for (int i = f * frame, end = i + frame; i < end; i++) sq += (double)x[i] * x[i];
            levels[f] = 10 * Math.Log10(sq / frame + 1e-20);
        }
        Array.Sort(levels);
        double floor = levels[(int)(0.1 * (count - 1))], peak = levels[(int)(0.9 * (count - 1))];
        if (levels[^1] < SilenceDb) return new SpeechCheck(false, peak, floor, $"silent: digital silence (every frame below {SilenceDb:F0} dBFS)");
        if (peak - floor < MinDynamicRangeDb)
            return new SpeechCheck(false, peak, floor, $"silent: no speech, only a steady sound at {peak:F0} dBFS (its loud frames {peak - floor:F1} dB over its floor)");
        return new SpeechCheck(true, peak, floor, null);
    }
}
