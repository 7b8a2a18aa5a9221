namespace Aver.Tensors;

/// <summary>
/// A deterministic random stream (xoshiro256**, seeded through SplitMix64). Every random choice
/// in Aver flows from one user seed: <see cref="Fork(string)"/> derives independent named streams
/// (initialisation, shuffling, augmentation, dropout), so that drawing more from one does not
/// shift the others.
/// </summary>
public sealed class RandomStream
{
    private ulong _s0, _s1, _s2, _s3;
    private readonly ulong _seed;
    private double? _spareNormal;

    public RandomStream(ulong seed)
    {
        _seed = seed;
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    /// <summary>The seed this stream started from.</summary>
    public ulong Seed => _seed;

    /// <summary>A new stream derived from this stream's seed and <paramref name="name"/>; independent of how much was drawn here.</summary>
    public RandomStream Fork(string name)
    {
        ulong h = 14695981039346656037UL; // FNV-1a
        foreach (char c in name) { h ^= c; h *= 1099511628211UL; }
        ulong x = _seed ^ h;
        return new RandomStream(SplitMix(ref x));
    }

    /// <summary>A new stream derived from this stream's seed and an index (fold, epoch, worker).</summary>
    public RandomStream Fork(string name, long index) => Fork($"{name}#{index}");

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) as float with 24 bits.</summary>
    public float NextFloat() => (NextULong() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        return (int)((NextULong() >> 33) % (ulong)n);
    }

    /// <summary>Uniform integer in [low, high).</summary>
    public int NextInt(int low, int high) => low + NextInt(high - low);

    /// <summary>Standard normal (Box-Muller).</summary>
    public double NextNormal()
    {
        if (_spareNormal is double s) { _spareNormal = null; return s; }
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    public void FillUniform(Span<float> dst, float low, float high)
    {
        float w = high - low;
        for (int i = 0; i < dst.Length; i++) dst[i] = low + w * NextFloat();
    }

    public void FillNormal(Span<float> dst, float mean, float std)
    {
        for (int i = 0; i < dst.Length; i++) dst[i] = mean + std * (float)NextNormal();
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A random permutation of [0, n).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle<int>(p);
        return p;
    }
}
