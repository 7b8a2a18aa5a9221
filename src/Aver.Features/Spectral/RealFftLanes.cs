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

    /// <summary>The radix-2 stages from half-size <paramref name="startHalf"/> on, as <see cref="ComplexInPlace"/> does them.</summary>
    private unsafe void LaneStages<T>(float* re, float* im, int startHalf) where T : struct, ILaneVector<T>
    {
        int h = _half, lanes = T.Count;
        fixed (float* wc0 = _stageCos, ws0 = _stageSin)
            for (int hs = startHalf; hs < h; hs *= 2)
                for (int j = 0; j < hs; j++)
                {
                    T wr = T.Broadcast(wc0[hs - 1 + j]), wi = T.Broadcast(ws0[hs - 1 + j]);
                    for (int b = 0; b < h; b += 2 * hs)
                    {
                        float* ra = re + (b + j) * lanes, ia = im + (b + j) * lanes;
                        float* rc = ra + hs * lanes, ic = ia + hs * lanes;
                        T cr = T.Load(rc), ci = T.Load(ic);
                        T tr = cr * wr - ci * wi;
                        T ti = cr * wi + ci * wr;
                        T ar = T.Load(ra), ai = T.Load(ia);
                        T.Store(ar + tr, ra); T.Store(ai + ti, ia);
                        T.Store(ar - tr, rc); T.Store(ai - ti, ic);
                    }
                }
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
