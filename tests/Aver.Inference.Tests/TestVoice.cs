using Aver.Media;

namespace Aver.Inference.Tests;

/// <summary>Generated audio the audio branch can answer, for tests of long and live input.</summary>
internal static class TestVoice
{
    /// <summary>Speech-like bursts with a slowly changing pitch at 16 kHz, so segments and windows differ (stationary statistics after a second or two).</summary>
    public static AudioBuffer Of(double seconds)
    {
        int rate = 16000;
        var x = new float[(int)(seconds * rate)];
        for (int i = 0; i < x.Length; i++)
            x[i] = ((i / 4000) % 3 == 0 ? 0.02f : 0.3f) * MathF.Sin(2 * MathF.PI * (150 + 100 * MathF.Sin(i / 50000f)) * i / rate);
        return new AudioBuffer(x, rate);
    }
}
