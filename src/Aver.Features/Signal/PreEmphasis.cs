namespace Aver.Features.Signal;

/// <summary>First-order high-pass pre-emphasis (AVEF §2.1.1): y[n] = x[n] - mu x[n-1], with x[-1] = 0.</summary>
public static class PreEmphasis
{
    /// <summary>The emphasised signal, same length as <paramref name="signal"/>; <paramref name="coefficient"/> mu in [0, 1] (AVEF: 0.97).</summary>
    public static float[] Apply(ReadOnlySpan<float> signal, float coefficient = 0.97f)
    {
        if (!(coefficient >= 0 && coefficient <= 1))
            throw new ArgumentOutOfRangeException(nameof(coefficient), coefficient, "PreEmphasis: the coefficient must be in [0, 1]");
        var y = new float[signal.Length];
        if (signal.Length == 0) return y;
        y[0] = signal[0];
        for (int n = 1; n < signal.Length; n++) y[n] = signal[n] - coefficient * signal[n - 1];
        return y;
    }
}
