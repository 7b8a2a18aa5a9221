namespace Aver.Features.Signal;

/// <summary>Zero-mean, unit-variance scaling of a whole clip (MRPN §4.4 item 3: removes speaker distance and base volume).</summary>
public static class Standardization
{
    /// <summary>The mean and population standard deviation of <paramref name="signal"/> (blocks summed in float, blocks accumulated in double).</summary>
    public static (double Mean, double Std) Statistics(ReadOnlySpan<float> signal)
    {
        if (signal.Length == 0) return (0, 0);
        var (sum, sumSq) = Sums(signal);
        return FromSums(sum, sumSq, signal.Length);
    }

    /// <summary>Σx and Σx²: vectorised sums over 1024-sample blocks keep float rounding local; the totals are double.</summary>
    private static (double Sum, double SumSq) Sums(ReadOnlySpan<float> signal)
    {
        const int Block = 1024;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < signal.Length; i += Block)
        {
            var b = signal.Slice(i, Math.Min(Block, signal.Length - i));
            sum += System.Numerics.Tensors.TensorPrimitives.Sum(b);
            sumSq += System.Numerics.Tensors.TensorPrimitives.SumOfSquares(b);
        }
        return (sum, sumSq);
    }

    private static (double Mean, double Std) FromSums(double sum, double sumSq, long count)
    {
        double mean = sum / count;
        return (mean, Math.Sqrt(Math.Max(0, sumSq / count - mean * mean)));
    }

    /// <summary>(x - mean) / std; a constant signal (std 0) becomes zeros. Same length.</summary>
    public static float[] Apply(ReadOnlySpan<float> signal) => Apply(signal, Statistics(signal));

    /// <summary>(x - mean) / std with statistics of a larger signal (a slice standardised as part of its whole clip).</summary>
    public static float[] Apply(ReadOnlySpan<float> signal, (double Mean, double Std) statistics)
    {
        var y = new float[signal.Length];
        Apply(signal, statistics, y);
        return y;
    }

    /// <summary>The same into <paramref name="destination"/> (at least as long as the signal), so a caller can standardise into a pooled buffer.</summary>
    public static void Apply(ReadOnlySpan<float> signal, (double Mean, double Std) statistics, Span<float> destination)
    {
        var (mean, std) = statistics;
        var y = destination[..signal.Length];
        if (!(std > 0)) { y.Clear(); return; }
        System.Numerics.Tensors.TensorPrimitives.Subtract(signal, (float)mean, y);
        System.Numerics.Tensors.TensorPrimitives.Multiply(y, (float)(1 / std), y);
    }

    /// <summary>
    /// The statistics of a signal heard a piece at a time (a live stream): <see cref="Add"/> each piece;
    /// <see cref="Value"/> equals <see cref="Statistics"/> of everything added so far (up to rounding).
    /// </summary>
    public sealed class Running
    {
        private double _sum, _sumSq;
        private long _count;

        public void Add(ReadOnlySpan<float> piece)
        {
            var (sum, sumSq) = Sums(piece);
            _sum += sum;
            _sumSq += sumSq;
            _count += piece.Length;
        }

        public (double Mean, double Std) Value => _count == 0 ? (0, 0) : FromSums(_sum, _sumSq, _count);
    }
}
