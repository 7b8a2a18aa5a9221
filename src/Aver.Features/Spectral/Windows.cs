namespace Aver.Features.Spectral;

/// <summary>
/// Analysis windows, as torch.hann_window / torch.hamming_window. A periodic window of length n is
/// the symmetric window of length n + 1 without its last sample (the default in torch and for
/// spectral analysis, since it tiles exactly at hop n/4 and n/2).
/// </summary>
public static class Windows
{
    /// <summary>Hann: w[t] = 0.5 - 0.5 cos(2 pi t / N), N = n (periodic) or n - 1 (symmetric). Shape [n].</summary>
    public static float[] Hann(int length, bool periodic = true) => Cosine(length, periodic, 0.5, 0.5);

    /// <summary>Hamming: w[t] = 0.54 - 0.46 cos(2 pi t / N), N = n (periodic) or n - 1 (symmetric). Shape [n].</summary>
    public static float[] Hamming(int length, bool periodic = true) => Cosine(length, periodic, 0.54, 0.46);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(bool Hann, int Length, bool Periodic), float[]> Shared = new();

    /// <summary>A shared Hann window for the front ends' per-clip STFTs (callers must not modify it): computing one costs a cosine per sample.</summary>
    internal static float[] SharedHann(int length, bool periodic = true) =>
        Shared.GetOrAdd((true, length, periodic), static k => Hann(k.Length, k.Periodic));

    /// <summary>A shared Hamming window; see <see cref="SharedHann"/>.</summary>
    internal static float[] SharedHamming(int length, bool periodic = true) =>
        Shared.GetOrAdd((false, length, periodic), static k => Hamming(k.Length, k.Periodic));

    private static float[] Cosine(int length, bool periodic, double a, double b)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "window length must be positive");
        var w = new float[length];
        if (length == 1) { w[0] = 1; return w; }
        double n = periodic ? length : length - 1;
        for (int t = 0; t < length; t++) w[t] = (float)(a - b * Math.Cos(2 * Math.PI * t / n));
        return w;
    }
}
