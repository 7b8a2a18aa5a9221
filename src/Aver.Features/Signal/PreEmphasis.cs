namespace Aver.Features.Signal;

/// <summary>First-order high-pass pre-emphasis (AVEF §2.1.1): y[n] = x[n] - mu x[n-1], with x[-1] = 0.</summary>
public static class PreEmphasis
{
    /// <summary>The emphasised signal, same length as <paramref name="signal"/>; <paramref name="coefficient"/> mu in [0, 1] (AVEF: 0.97).</summary>
    public static float[] Apply(ReadOnlySpan<float> signal, float coefficient = 0.97f)
    {
        var y = new float[signal.Length];
        Apply(signal, coefficient, y);
        return y;
    }

    /// <summary>The same into <paramref name="destination"/> (at least as long as the signal, not overlapping it), so a caller can write into a pooled buffer.</summary>
    public static void Apply(ReadOnlySpan<float> signal, float coefficient, Span<float> destination)
    {
        if (!(coefficient >= 0 && coefficient <= 1))
            throw new ArgumentOutOfRangeException(nameof(coefficient), coefficient, "PreEmphasis: the coefficient must be in [0, 1]");
        if (signal.Length == 0) return;
        destination[0] = signal[0];
        // mu x[n-1] first, then x[n] minus it: the two roundings of the scalar form, vectorised.
        var rest = destination[1..signal.Length];
        System.Numerics.Tensors.TensorPrimitives.Multiply(signal[..^1], coefficient, rest);
        System.Numerics.Tensors.TensorPrimitives.Subtract(signal[1..], rest, rest);
    }
}
