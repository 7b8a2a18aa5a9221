using System.Runtime.CompilerServices;

namespace Aver.Features.Spectral;

/// <summary>
/// The frame-batched form of the plan: T.Count frames at once, one frame per vector lane, so every
/// butterfly is plain lane-wise arithmetic (no shuffles), the frames come out of the signal through
/// 8 x 8 transposes, and the spectra leave frequency-major ([bins, frames], the layout every front end
/// wants). It does the very operations of <see cref="Forward"/> and <see cref="Magnitude"/> in the
/// same order, so each frame's result is the same to the bit, on every lane width.
/// </summary>
public sealed partial class RealFft
{
    /// <summary>
    /// |X[k]| (<paramref name="magnitude"/>) or |X[k]|^2 of T.Count frames: frame l is the samples
    /// first[l * hop + j] for j in [windowOffset, windowOffset + windowLength), times window[j - windowOffset],
    /// zero elsewhere (first[l * hop + j] must be readable for every j &lt; n). Writes dst[k * dstStride + l] for
    /// k &lt; <see cref="Bins"/>. Work space: <paramref name="re"/> and <paramref name="im"/> (n/2 + 1) * T.Count
    /// floats each, <paramref name="staging"/> n * T.Count.
    /// </summary>
    internal unsafe void LaneSpectra<T>(float* first, int hop, float* window, int windowOffset, int windowLength,
        float* re, float* im, float* staging, float* dst, int dstStride, bool magnitude) where T : struct, ILaneVector<T>
    {
        // The window's span of each frame, in whole tiles of 8 samples, transposed to [sample, frame].
        for (int j = windowOffset & ~7, end = Math.Min(Length, (windowOffset + windowLength + 7) & ~7); j < end; j += 8)
            T.Transpose8(first + j, hop, staging + j * T.Count);
        var frames = new LaneFrames<T>(staging, window, windowOffset, windowLength);
        int h = _half;
        if (h >= 4)
        {
            GatherFirstStages(frames, re, im);
            LaneStages<T>(re, im, startHalf: 4);
        }
        else
        {
            int lanes = T.Count;
            for (int t = 0; t < h; t++)
            {
                int r = _bitReverse[t] * lanes;
                T.Store(frames.Sample(2 * t), re + r);
                T.Store(frames.Sample(2 * t + 1), im + r);
            }
            LaneStages<T>(re, im, startHalf: 1);
        }
        SplitToPower<T>(re, im, dst, dstStride, magnitude);
    }

    /// <summary>The bit-reversal gather and the two multiply-free first stages of <see cref="GatherFirstStages(ReadOnlySpan{float}, Span{float}, Span{float})"/>, lane-wise.</summary>
    private unsafe void GatherFirstStages<T>(in LaneFrames<T> frames, float* re, float* im) where T : struct, ILaneVector<T>
    {
        int h = _half, q = h / 4, lanes = T.Count;
        for (int b = 0; b < h; b += 4)
        {
            int t = 2 * _bitReverse[b];
            T ar = frames.Sample(t), ai = frames.Sample(t + 1);
            T br = frames.Sample(t + 4 * q), bi = frames.Sample(t + 4 * q + 1);
            T cr = frames.Sample(t + 2 * q), ci = frames.Sample(t + 2 * q + 1);
            T dr = frames.Sample(t + 6 * q), di = frames.Sample(t + 6 * q + 1);
            T s0r = ar + br, s0i = ai + bi, d0r = ar - br, d0i = ai - bi;
            T s1r = cr + dr, s1i = ci + di, d1r = cr - dr, d1i = ci - di;
            float* r = re + b * lanes, i = im + b * lanes;
            T.Store(s0r + s1r, r); T.Store(s0i + s1i, i);
            T.Store(s0r - s1r, r + 2 * lanes); T.Store(s0i - s1i, i + 2 * lanes);
            T.Store(d0r + d1i, r + lanes); T.Store(d0i - d1r, i + lanes);
            T.Store(d0r - d1i, r + 3 * lanes); T.Store(d0i + d1r, i + 3 * lanes);
        }
    }

    /// <summary>
    /// The radix-2 stages from half-size <paramref name="startHalf"/> on, as <see cref="ComplexInPlace"/> does them,
    /// two stages per pass: a pass is memory-bound (every butterfly loads and stores two points), so stages hs and
    /// 2 hs run on four points held in registers. Each butterfly is the same arithmetic on the same operands, so
    /// the bits are those of the stage-by-stage transform.
    /// </summary>
    private unsafe void LaneStages<T>(float* re, float* im, int startHalf) where T : struct, ILaneVector<T>
    {
        int h = _half, lanes = T.Count, hs = startHalf;
        fixed (float* wc0 = _stageCos, ws0 = _stageSin)
        {
            for (; 2 * hs < h; hs *= 4)
                for (int j = 0; j < hs; j++)
                {
                    // Stage hs: (p0, p1) and (p2, p3) with twiddle j; stage 2 hs: (p0, p2) with j, (p1, p3) with j + hs.
                    T w1r = T.Broadcast(wc0[hs - 1 + j]), w1i = T.Broadcast(ws0[hs - 1 + j]);
                    T w2r = T.Broadcast(wc0[2 * hs - 1 + j]), w2i = T.Broadcast(ws0[2 * hs - 1 + j]);
                    T w3r = T.Broadcast(wc0[3 * hs - 1 + j]), w3i = T.Broadcast(ws0[3 * hs - 1 + j]);
                    int step = hs * lanes;
                    for (int b = 0; b < h; b += 4 * hs)
                    {
                        float* r0 = re + (b + j) * lanes, i0 = im + (b + j) * lanes;
                        T a0r = T.Load(r0), a0i = T.Load(i0);
                        T a1r = T.Load(r0 + step), a1i = T.Load(i0 + step);
                        T a2r = T.Load(r0 + 2 * step), a2i = T.Load(i0 + 2 * step);
                        T a3r = T.Load(r0 + 3 * step), a3i = T.Load(i0 + 3 * step);
                        Butterfly(ref a0r, ref a0i, ref a1r, ref a1i, w1r, w1i);
                        Butterfly(ref a2r, ref a2i, ref a3r, ref a3i, w1r, w1i);
                        Butterfly(ref a0r, ref a0i, ref a2r, ref a2i, w2r, w2i);
                        Butterfly(ref a1r, ref a1i, ref a3r, ref a3i, w3r, w3i);
                        T.Store(a0r, r0); T.Store(a0i, i0);
                        T.Store(a1r, r0 + step); T.Store(a1i, i0 + step);
                        T.Store(a2r, r0 + 2 * step); T.Store(a2i, i0 + 2 * step);
                        T.Store(a3r, r0 + 3 * step); T.Store(a3i, i0 + 3 * step);
                    }
                }
            // An odd number of stages leaves the last one alone.
            for (; hs < h; hs *= 2)
                for (int j = 0; j < hs; j++)
                {
                    T wr = T.Broadcast(wc0[hs - 1 + j]), wi = T.Broadcast(ws0[hs - 1 + j]);
                    for (int b = 0; b < h; b += 2 * hs)
                    {
                        float* ra = re + (b + j) * lanes, ia = im + (b + j) * lanes;
                        float* rc = ra + hs * lanes, ic = ia + hs * lanes;
                        T ar = T.Load(ra), ai = T.Load(ia), cr = T.Load(rc), ci = T.Load(ic);
                        Butterfly(ref ar, ref ai, ref cr, ref ci, wr, wi);
                        T.Store(ar, ra); T.Store(ai, ia);
                        T.Store(cr, rc); T.Store(ci, ic);
                    }
                }
        }
    }

    /// <summary>(a, c) becomes (a + w c, a - w c), rounded as <see cref="ComplexInPlace"/> rounds it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly<T>(ref T ar, ref T ai, ref T cr, ref T ci, T wr, T wi) where T : struct, ILaneVector<T>
    {
        T tr = cr * wr - ci * wi;
        T ti = cr * wi + ci * wr;
        cr = ar - tr; ci = ai - ti;
        ar = ar + tr; ai = ai + ti;
    }

    /// <summary>The split into the real spectrum (<see cref="Split"/>) fused with <see cref="Magnitude"/>'s re^2 + im^2 (and square root).</summary>
    private unsafe void SplitToPower<T>(float* re, float* im, float* dst, int dstStride, bool magnitude) where T : struct, ILaneVector<T>
    {
        int h = _half, lanes = T.Count;
        T z0r = T.Load(re), z0i = T.Load(im), zero = T.Zero, half = T.Broadcast(0.5f);
        T.Store(Power(z0r + z0i, zero, magnitude), dst);
        T.Store(Power(z0r - z0i, zero, magnitude), dst + h * dstStride);
        fixed (float* wc0 = _splitCos, ws0 = _splitSin)
            for (int k = 1; k <= h / 2; k++)
            {
                int m = h - k;
                T zkr = T.Load(re + k * lanes), zki = T.Load(im + k * lanes);
                T zmr = T.Load(re + m * lanes), zmi = T.Load(im + m * lanes);
                T er = half * (zkr + zmr), ei = half * (zki - zmi);
                T or = half * (zki + zmi), oi = half * (zmr - zkr);
                T wr = T.Broadcast(wc0[k]), wi = T.Broadcast(ws0[k]);
                T pr = wr * or - wi * oi, pi = wr * oi + wi * or;
                T.Store(Power(er + pr, ei + pi, magnitude), dst + k * dstStride);
                if (m != k) T.Store(Power(er - pr, pi - ei, magnitude), dst + m * dstStride);
            }
    }

    private static T Power<T>(T re, T im, bool magnitude) where T : struct, ILaneVector<T>
    {
        T p = T.FusedMultiplyAdd(im, im, re * re);
        return magnitude ? T.Sqrt(p) : p;
    }
}

/// <summary>Sample j of T.Count frames staged as [sample, frame], windowed (zero outside the window).</summary>
internal readonly unsafe struct LaneFrames<T>(float* staging, float* window, int windowOffset, int windowLength)
    where T : struct, ILaneVector<T>
{
    private readonly float* _staging = staging, _window = window;
    private readonly int _windowOffset = windowOffset, _windowLength = windowLength;

    public T Sample(int j)
    {
        int w = j - _windowOffset;
        return (uint)w < (uint)_windowLength ? T.Load(_staging + j * T.Count) * T.Broadcast(_window[w]) : T.Zero;
    }
}
