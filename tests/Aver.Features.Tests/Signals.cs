using Aver.Media;
using Aver.Tensors;

namespace Aver.Features.Tests;

/// <summary>Generated test signals.</summary>
internal static class Signals
{
    public static float[] Noise(ulong seed, int length, float std = 1f)
    {
        var x = new float[length];
        new RandomStream(seed).FillNormal(x, 0, std);
        return x;
    }

    public static float[] Sine(int length, double hz, int rate, double amplitude = 1, double phase = 0)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate + phase));
        return x;
    }

    /// <summary>Low noise with bursts of a harmonic tone plus noise in [start, end) seconds.</summary>
    public static AudioBuffer Bursts(ulong seed, double duration, params (double Start, double End)[] bursts)
    {
        const int rate = 16000;
        var x = Noise(seed, (int)(duration * rate), 0.001f);
        var loud = Noise(seed + 1, x.Length, 0.05f);
        foreach (var (s, e) in bursts)
            for (int i = (int)(s * rate); i < (int)(e * rate); i++)
                x[i] += loud[i] + 0.2f * (float)(Math.Sin(2 * Math.PI * 180 * i / rate) + 0.5 * Math.Sin(2 * Math.PI * 360 * i / rate) + 0.3 * Math.Sin(2 * Math.PI * 900 * i / rate));
        return new AudioBuffer(x, rate);
    }

    /// <summary>The one-sided DFT magnitude |X[k]|^power computed naively in double.</summary>
    public static double[] NaiveDft(ReadOnlySpan<float> x, int n, out double[] re, out double[] im)
    {
        re = new double[n / 2 + 1]; im = new double[n / 2 + 1];
        var mag = new double[n / 2 + 1];
        for (int k = 0; k <= n / 2; k++)
        {
            double sr = 0, si = 0;
            for (int t = 0; t < x.Length; t++)
            {
                double a = -2 * Math.PI * (long)k * t / n;
                sr += x[t] * Math.Cos(a); si += x[t] * Math.Sin(a);
            }
            re[k] = sr; im[k] = si; mag[k] = Math.Sqrt(sr * sr + si * si);
        }
        return mag;
    }
}
