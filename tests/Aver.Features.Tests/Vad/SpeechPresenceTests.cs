using Aver.Features.Vad;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Features.Tests.Vad;

/// <summary>The one "anything to answer?" decision: against the clip's own noise floor, not an absolute level.</summary>
public class SpeechPresenceTests
{
    private const int Rate = 16000;

    /// <summary>Syllable-like bursts: a 200-Hz tone switched on and off every 0.25 s, peaking at <paramref name="peak"/>.</summary>
    private static float[] Bursts(float peak, double seconds = 2)
    {
        var x = new float[(int)(seconds * Rate)];
        for (int i = 0; i < x.Length; i++) x[i] = (i / (Rate / 4)) % 2 == 0 ? peak * MathF.Sin(2 * MathF.PI * 200 * i / Rate) : 0;
        return x;
    }

    private static float[] Noise(int n, float rms, ulong seed)
    {
        var rng = new RandomStream(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rms * MathF.Sqrt(3) * (float)(2 * rng.NextDouble() - 1);
        return x;
    }

    [Fact]
    public void Quiet_speech_is_speech()
    {
        var check = SpeechPresence.Check(new AudioBuffer(Bursts(0.001f), Rate));   // peaks at -60 dBFS
        Assert.True(check.HasSpeech, check.Reason);
    }

    [Fact]
    public void Speech_over_a_noise_floor_30_dB_down_is_speech()
    {
        var x = Bursts(0.3f);
        var noise = Noise(x.Length, 0.3f / MathF.Sqrt(2) * 0.0316f, 1);
        for (int i = 0; i < x.Length; i++) x[i] += noise[i];
        var check = SpeechPresence.Check(new AudioBuffer(x, Rate));
        Assert.True(check.HasSpeech, check.Reason);
        Assert.InRange(check.PeakDb - check.FloorDb, 25, 40);
    }

    [Fact]
    public void Digital_silence_and_steady_noise_have_nothing_to_answer()
    {
        var silence = SpeechPresence.Check(new AudioBuffer(new float[Rate], Rate));
        Assert.False(silence.HasSpeech);
        Assert.Contains("digital silence", silence.Reason);
        var noise = SpeechPresence.Check(new AudioBuffer(Noise(2 * Rate, 0.05f, 2), Rate));
        Assert.False(noise.HasSpeech);
        Assert.Contains("no speech, only a steady sound", noise.Reason);
    }
}
