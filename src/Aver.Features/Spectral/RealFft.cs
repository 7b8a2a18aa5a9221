using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Aver.Features.Spectral;

/// <summary>
/// A plan for the real discrete Fourier transform of a power-of-two length n:
/// X[k] = sum_{t&lt;n} x[t] exp(-2 pi i k t / n) for k = 0..n/2 (the one-sided spectrum, as numpy's
/// rfft and torch.stft with onesided=True). Plans are immutable and thread-safe; get one with
/// <see cref="Get"/>, which caches by length.
/// </summary>
/// <remarks>
/// The n real samples are packed as n/2 complex values z[t] = x[2t] + i x[2t+1] and transformed by an
/// iterative radix-2 decimation-in-time FFT: the bit-reversal gather is fused with the first two
/// (multiply-free) stages, the half-size-4 stage uses 128-bit lanes and later stages 256-bit lanes over
/// per-stage contiguous twiddle tables; the split into the real spectrum, eight bins at a time:
/// X[k] = E[k] + W^k O[k]. Only power-of-two lengths are supported: every front end in Aver uses
/// one (512), and frames shorter than the FFT are zero-padded, as torch.stft does.
/// </remarks>
public sealed partial class RealFft
{
    private static readonly ConcurrentDictionary<int, RealFft> Cache = new();

    private readonly int _half;            // complex FFT length n/2
    private readonly int[] _bitReverse;    // [n/2]
    private readonly float[] _stageCos;    // [n/2 - 1], stage with half-size hs at offset hs - 1
    private readonly float[] _stageSin;
    private readonly float[] _splitCos;    // [n/4 + 1]: cos(2 pi k / n)
    private readonly float[] _splitSin;    // -sin(2 pi k / n)

    /// <summary>The transform length n.</summary>
    public int Length { get; }

    /// <summary>The number of one-sided bins, n/2 + 1.</summary>
    public int Bins => _half + 1;

    /// <summary>A cached plan for length <paramref name="n"/> (a power of two, at least 4).</summary>
    public static RealFft Get(int n) => Cache.GetOrAdd(n, static n => new RealFft(n));

    public RealFft(int n)
    {
        if (n < 4 || !int.IsPow2(n))
            throw new ArgumentOutOfRangeException(nameof(n), n, "RealFft: the length must be a power of two, at least 4");
        Length = n;
        _half = n / 2;
        int bits = int.Log2(_half);
        _bitReverse = new int[_half];
        for (int i = 0; i < _half; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
            _bitReverse[i] = r;
        }
        _stageCos = new float[Math.Max(1, _half - 1)];
        _stageSin = new float[Math.Max(1, _half - 1)];
        for (int hs = 1; hs < _half; hs *= 2)
            for (int j = 0; j < hs; j++)
            {
                double a = -Math.PI * j / hs; // exp(-2 pi i j / (2 hs))
                _stageCos[hs - 1 + j] = (float)Math.Cos(a);
                _stageSin[hs - 1 + j] = (float)Math.Sin(a);
            }
        _splitCos = new float[_half / 2 + 1];
        _splitSin = new float[_half / 2 + 1];
        for (int k = 0; k <= _half / 2; k++)
        {
            double a = -2 * Math.PI * k / n;
            _splitCos[k] = (float)Math.Cos(a);
            _splitSin[k] = (float)Math.Sin(a);
        }
    }

    /// <summary>
    /// Transforms <paramref name="input"/> (length n) into the one-sided spectrum: real parts in
    /// <paramref name="re"/> and imaginary parts in <paramref name="im"/> (each at least n/2 + 1).
    /// Allocation-free; the outputs double as the work space.
    /// </summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> re, Span<float> im)
    {
        if (input.Length != Length) throw new ArgumentException($"RealFft: input has {input.Length} samples, the plan is for {Length}", nameof(input));
        if (re.Length < Bins || im.Length < Bins) throw new ArgumentException($"RealFft: outputs need {Bins} elements, got {re.Length} and {im.Length}");
        int h = _half;
        if (h >= 4)
        {
            GatherFirstStages(input, re, im);
            ComplexInPlace(re[..h], im[..h], startHalf: 4);
        }
        else
        {
            for (int t = 0; t < h; t++)
            {
                int r = _bitReverse[t];
                re[r] = input[2 * t];
                im[r] = input[2 * t + 1];
            }
            ComplexInPlace(re[..h], im[..h], startHalf: 1);
        }
        Split(re, im);
    }

    /// <summary>|X[k]|^power for k = 0..n/2 into <paramref name="output"/>, using <paramref name="scratch"/> (at least 2 (n/2 + 1)).</summary>
    public void Magnitude(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch, float power = 1f)
    {
        var re = scratch[..Bins];
        var im = scratch.Slice(Bins, Bins);
        Forward(input, re, im);
        var o = output[..Bins];
        System.Numerics.Tensors.TensorPrimitives.Multiply(re, re, o);
        System.Numerics.Tensors.TensorPrimitives.FusedMultiplyAdd(im, im, o, o);
        if (power == 1f) System.Numerics.Tensors.TensorPrimitives.Sqrt(o, o);
        else if (power != 2f) System.Numerics.Tensors.TensorPrimitives.Pow(o, power / 2, o);
    }

    /// <summary>
    /// The bit-reversal permutation fused with the first two stages (half-sizes 1 and 2, twiddles 1 and -i,
    /// no multiplies): positions b..b+3 (b a multiple of 4) hold the packed samples bitrev(b) + {0, h/2, h/4, 3h/4},
    /// read straight from the input, so the permuted copy is never written.
    /// </summary>
    private void GatherFirstStages(ReadOnlySpan<float> input, Span<float> re, Span<float> im)
    {
        int h = _half, q = h / 4;
        ref float x0 = ref MemoryMarshal.GetReference(input);
        ref float r0 = ref MemoryMarshal.GetReference(re);
        ref float i0 = ref MemoryMarshal.GetReference(im);
        for (int b = 0; b < h; b += 4)
        {
            int t = 2 * _bitReverse[b];
            float ar = Unsafe.Add(ref x0, t), ai = Unsafe.Add(ref x0, t + 1);                 // z[t]
            float br = Unsafe.Add(ref x0, t + 4 * q), bi = Unsafe.Add(ref x0, t + 4 * q + 1); // z[t + h/2]
            float cr = Unsafe.Add(ref x0, t + 2 * q), ci = Unsafe.Add(ref x0, t + 2 * q + 1); // z[t + h/4]
            float dr = Unsafe.Add(ref x0, t + 6 * q), di = Unsafe.Add(ref x0, t + 6 * q + 1); // z[t + 3h/4]
            float s0r = ar + br, s0i = ai + bi, d0r = ar - br, d0i = ai - bi;
            float s1r = cr + dr, s1i = ci + di, d1r = cr - dr, d1i = ci - di;
            ref float r = ref Unsafe.Add(ref r0, b);
            ref float i = ref Unsafe.Add(ref i0, b);
            // -i * d1 = (d1i, -d1r)
            r = s0r + s1r; i = s0i + s1i;
            Unsafe.Add(ref r, 2) = s0r - s1r; Unsafe.Add(ref i, 2) = s0i - s1i;
            Unsafe.Add(ref r, 1) = d0r + d1i; Unsafe.Add(ref i, 1) = d0i - d1r;
            Unsafe.Add(ref r, 3) = d0r - d1i; Unsafe.Add(ref i, 3) = d0i + d1r;
        }
    }

    private void ComplexInPlace(Span<float> re, Span<float> im, int startHalf)
    {
        int h = re.Length;
        ref float r0 = ref MemoryMarshal.GetReference(re);
        ref float i0 = ref MemoryMarshal.GetReference(im);
        ref float wc0 = ref MemoryMarshal.GetArrayDataReference(_stageCos);
        ref float ws0 = ref MemoryMarshal.GetArrayDataReference(_stageSin);
        for (int hs = startHalf; hs < h; hs *= 2)
        {
            int tw = hs - 1;
            if (hs == 4 && Vector128.IsHardwareAccelerated)
            {
                var wr = Vector128.LoadUnsafe(ref wc0, (nuint)tw);
                var wi = Vector128.LoadUnsafe(ref ws0, (nuint)tw);
                for (int b = 0; b < h; b += 8)
                {
                    nuint a = (nuint)b, c = (nuint)(b + 4);
                    var ar = Vector128.LoadUnsafe(ref r0, a); var ai = Vector128.LoadUnsafe(ref i0, a);
                    var cr = Vector128.LoadUnsafe(ref r0, c); var ci = Vector128.LoadUnsafe(ref i0, c);
                    var tr = cr * wr - ci * wi;
                    var ti = cr * wi + ci * wr;
                    (ar + tr).StoreUnsafe(ref r0, a); (ai + ti).StoreUnsafe(ref i0, a);
                    (ar - tr).StoreUnsafe(ref r0, c); (ai - ti).StoreUnsafe(ref i0, c);
                }
            }
            else if (hs >= 8 && Vector256.IsHardwareAccelerated)
            {
                for (int b = 0; b < h; b += 2 * hs)
                    for (int j = 0; j < hs; j += 8)
                    {
                        var wr = Vector256.LoadUnsafe(ref wc0, (nuint)(tw + j));
                        var wi = Vector256.LoadUnsafe(ref ws0, (nuint)(tw + j));
                        nuint a = (nuint)(b + j), c = (nuint)(b + j + hs);
                        var ar = Vector256.LoadUnsafe(ref r0, a); var ai = Vector256.LoadUnsafe(ref i0, a);
                        var cr = Vector256.LoadUnsafe(ref r0, c); var ci = Vector256.LoadUnsafe(ref i0, c);
                        var tr = cr * wr - ci * wi;
                        var ti = cr * wi + ci * wr;
                        (ar + tr).StoreUnsafe(ref r0, a); (ai + ti).StoreUnsafe(ref i0, a);
                        (ar - tr).StoreUnsafe(ref r0, c); (ai - ti).StoreUnsafe(ref i0, c);
                    }
            }
            else
            {
                for (int b = 0; b < h; b += 2 * hs)
                    for (int j = 0; j < hs; j++)
                    {
                        float wr = Unsafe.Add(ref wc0, tw + j), wi = Unsafe.Add(ref ws0, tw + j);
                        int a = b + j, c = a + hs;
                        float cr = Unsafe.Add(ref r0, c), ci = Unsafe.Add(ref i0, c);
                        float tr = cr * wr - ci * wi, ti = cr * wi + ci * wr;
                        float ar = Unsafe.Add(ref r0, a), ai = Unsafe.Add(ref i0, a);
                        Unsafe.Add(ref r0, a) = ar + tr; Unsafe.Add(ref i0, a) = ai + ti;
                        Unsafe.Add(ref r0, c) = ar - tr; Unsafe.Add(ref i0, c) = ai - ti;
                    }
            }
        }
    }

    // Z = FFT_{n/2}(x[2t] + i x[2t+1]); E[k] = (Z[k] + conj Z[h-k]) / 2, O[k] = -i (Z[k] - conj Z[h-k]) / 2,
    // X[k] = E[k] + W^k O[k] and X[h-k] = conj(E[k] - W^k O[k]), W = exp(-2 pi i / n).
    private void Split(Span<float> re, Span<float> im)
    {
        int h = _half;
        float z0r = re[0], z0i = im[0];
        re[0] = z0r + z0i; im[0] = 0;
        re[h] = z0r - z0i; im[h] = 0;
        int k0 = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            // Eight k at a time with their mirrors m = h - k read and written in reverse lane order;
            // the k and m ranges of one step stay disjoint while k0 + 7 < h - k0 - 7.
            ref float r0 = ref MemoryMarshal.GetReference(re);
            ref float i0 = ref MemoryMarshal.GetReference(im);
            ref float wc0 = ref MemoryMarshal.GetArrayDataReference(_splitCos);
            ref float ws0 = ref MemoryMarshal.GetArrayDataReference(_splitSin);
            var reverse = Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0);
            var half = Vector256.Create(0.5f);
            for (; k0 + 7 < h - k0 - 7; k0 += 8)
            {
                nuint k = (nuint)k0, m = (nuint)(h - k0 - 7);
                var zkr = Vector256.LoadUnsafe(ref r0, k); var zki = Vector256.LoadUnsafe(ref i0, k);
                var zmr = Vector256.Shuffle(Vector256.LoadUnsafe(ref r0, m), reverse);
                var zmi = Vector256.Shuffle(Vector256.LoadUnsafe(ref i0, m), reverse);
                var er = half * (zkr + zmr); var ei = half * (zki - zmi);
                var or = half * (zki + zmi); var oi = half * (zmr - zkr);
                var wr = Vector256.LoadUnsafe(ref wc0, k); var wi = Vector256.LoadUnsafe(ref ws0, k);
                var pr = wr * or - wi * oi; var pi = wr * oi + wi * or;
                (er + pr).StoreUnsafe(ref r0, k); (ei + pi).StoreUnsafe(ref i0, k);
                Vector256.Shuffle(er - pr, reverse).StoreUnsafe(ref r0, m);
                Vector256.Shuffle(pi - ei, reverse).StoreUnsafe(ref i0, m);
            }
        }
        for (int k = k0; k <= h / 2; k++)
        {
            int m = h - k;
            float zkr = re[k], zki = im[k], zmr = re[m], zmi = im[m];
            float er = 0.5f * (zkr + zmr), ei = 0.5f * (zki - zmi);
            float or = 0.5f * (zki + zmi), oi = -0.5f * (zkr - zmr);
            float wr = _splitCos[k], wi = _splitSin[k];
            float pr = wr * or - wi * oi, pi = wr * oi + wi * or;
            re[k] = er + pr; im[k] = ei + pi;
            if (m != k) { re[m] = er - pr; im[m] = -(ei - pi); }
        }
    }
}
