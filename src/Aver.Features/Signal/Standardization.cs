namespace Aver.Features.Signal;

/// <summary>Zero-mean, unit-variance scaling of a whole clip (MRPN §4.4 item 3: removes speaker distance and base volume).</summary>
public static class Standardization
{
    /// <summary>The mean and population standard deviation of <paramref name="signal"/> (in double).</summary>
    public static (double Mean, double Std) Statistics(ReadOnlySpan<float> signal)
    {
        if (signal.Length == 0) return (0, 0);
        double sum = 0, sumSq = 0;
        foreach (float v in signal) { sum += v; sumSq += (double)v * v; }
        double mean = sum / signal.Length;
        return (mean, Math.Sqrt(Math.Max(0, sumSq / signal.Length - mean * mean)));
    }

    /// <summary>(x - mean) / std; a constant signal (std 0) becomes zeros. Same length.</summary>
    public static float[] Apply(ReadOnlySpan<float> signal)
    {
        var (mean, std) = Statistics(signal);
        var y = new float[signal.Length];
        double scale = std > 0 ? 1 / std : 0;
        for (int i = 0; i < y.Length; i++) y[i] = (float)((signal[i] - mean) * scale);
        return y;
    }
}
