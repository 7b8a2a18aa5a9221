using System.Buffers;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Aver.Tensors;

namespace Aver.Features.Spectral;

/// <summary>
/// The short-time Fourier transform magnitude, following torch.stft's conventions: frame f starts at
/// sample f * hop of the (padded) signal and spans n_fft samples; a window shorter than n_fft sits
/// in the middle of the frame (offset (n_fft - win) / 2) with zeros around it; center = true pads
/// n_fft / 2 samples at both ends (reflect by default) so frame f is centred on sample f * hop.
/// Output is time-major, [n_frames, n_fft / 2 + 1] (torch's is [freq, time]).
/// </summary>
public static class Stft
{
    /// <summary>
    /// The number of frames: 1 + floor(L / hop) when centred, else 1 + floor((L - n_fft) / hop)
    /// (zero when the signal is shorter than one frame).
    /// </summary>
    public static int FrameCount(int length, int nFft, int hopLength, bool center = true)
    {
        int padded = center ? length + 2 * (nFft / 2) : length;
        return padded < nFft ? 0 : 1 + (padded - nFft) / hopLength;
    }

    /// <summary>
    /// |STFT|^power of <paramref name="signal"/>, shape [n_frames, n_fft / 2 + 1].
    /// </summary>
    /// <param name="signal">Samples, shape [L].</param>
    /// <param name="nFft">FFT length, a power of two.</param>
    /// <param name="hopLength">Samples between frame starts; default n_fft / 4 (torch's).</param>
    /// <param name="window">Window of length &lt;= n_fft; default a periodic Hann of length n_fft.</param>
    /// <param name="center">Pad n_fft / 2 at both ends so frame f is centred on sample f * hop.</param>
    /// <param name="padMode">How <paramref name="center"/> pads.</param>
    /// <param name="power">1 for magnitude, 2 for power.</param>
    public static Tensor Compute(ReadOnlySpan<float> signal, int nFft = 512, int? hopLength = null, float[]? window = null,
        bool center = true, PadMode padMode = PadMode.Reflect, float power = 1f)
    {
        int hop = hopLength ?? nFft / 4;
        if (hop < 1) throw new ArgumentOutOfRangeException(nameof(hopLength), hop, "Stft: hop length must be positive");
        window ??= Windows.Hann(nFft);
        if (window.Length > nFft) throw new ArgumentException($"Stft: window length {window.Length} exceeds n_fft {nFft}", nameof(window));
        var fft = RealFft.Get(nFft);
        float[] padded = center ? Pad(signal, nFft / 2, padMode) : signal.ToArray();
        int frames = FrameCount(signal.Length, nFft, hop, center);
        var output = new Tensor(GC.AllocateUninitializedArray<float>(frames * fft.Bins), frames, fft.Bins);
        Compute(padded, fft, hop, window, power, output.Data, frames);
        return output;
    }

    /// <summary>
    /// |STFT|^power of an already padded signal into <paramref name="output"/> ([frames, n_fft/2 + 1],
    /// row-major), frames in parallel chunks on up to <see cref="Engine.Threads"/> threads.
    /// </summary>
    internal static void Compute(float[] padded, RealFft fft, int hop, float[] window, float power, float[] output, int frames) =>
        ComputeBlocks(padded, padded.Length, fft, hop, window, power, frames, (first, count, block) =>
            BlockTranspose.Into(block, fft.Bins, BlockFrames, count, output, fft.Bins, first * fft.Bins));

    /// <summary>Frames per block handed to a <see cref="FrameBlockSink"/>: a multiple of every lane count, and a block of 512-point spectra (66 KB) stays in L2.</summary>
    internal const int BlockFrames = 64;

    /// <summary>
    /// Receives frames [first, first + count) as a frequency-major block it may modify:
    /// block[k * <see cref="BlockFrames"/> + j] is bin k of frame first + j (columns from count on are scratch).
    /// </summary>
    internal delegate void FrameBlockSink(int firstFrame, int count, Span<float> block);

    /// <summary>
    /// |STFT|^power of the first <paramref name="length"/> samples of an already padded signal, handed to
    /// <paramref name="sink"/> in blocks of <see cref="BlockFrames"/> frames, blocks in parallel on up to
    /// <see cref="Engine.Threads"/> threads: a front end post-processes (log, mel) each block while it is in cache.
    /// </summary>
    internal static void ComputeBlocks(float[] padded, int length, RealFft fft, int hop, float[] window, float power, int frames, FrameBlockSink sink)
    {
        switch (LaneWidths.Current)
        {
            case LaneWidth.V512: ComputeBlocks<Lanes512>(padded, length, fft, hop, window, power, frames, sink); break;
            case LaneWidth.V256: ComputeBlocks<Lanes256>(padded, length, fft, hop, window, power, frames, sink); break;
            default: ComputeBlocks<Lanes128>(padded, length, fft, hop, window, power, frames, sink); break;
        }
    }

    private static unsafe void ComputeBlocks<T>(float[] padded, int length, RealFft fft, int hop, float[] window, float power, int frames, FrameBlockSink sink)
        where T : struct, ILaneVector<T>
    {
        int nFft = fft.Length, bins = fft.Bins, lanes = T.Count, offset = (nFft - window.Length) / 2;
        int chunks = (frames + BlockFrames - 1) / BlockFrames;
        // The last frames of a signal, where a whole vector of frames would read past its end, come from a zero-extended copy.
        int tailLength = (lanes - 1) * hop + nFft;
        Engine.For(chunks, c =>
        {
            int first = c * BlockFrames, count = Math.Min(BlockFrames, frames - first);
            var block = ArrayPool<float>.Shared.Rent(bins * BlockFrames);
            int staging = 2 * bins * lanes, tailAt = staging + nFft * lanes;
            var work = ArrayPool<float>.Shared.Rent(tailAt + tailLength);
            try
            {
                fixed (float* pp = padded, pw = window, pb = block, pr = work)
                    for (int g = 0; g < count; g += lanes)
                    {
                        int f = first + g;
                        float* src = pp + (long)f * hop;
                        if (f + lanes > frames)
                        {
                            var tail = work.AsSpan(tailAt, tailLength);
                            int available = Math.Clamp(length - f * hop, 0, tailLength);
                            padded.AsSpan(f * hop, available).CopyTo(tail);
                            tail[available..].Clear();
                            src = pr + tailAt;
                        }
                        fft.LaneSpectra<T>(src, hop, pw, offset, window.Length, pr, pr + bins * lanes, pr + staging, pb + g, BlockFrames, magnitude: power == 1f);
                    }
                var spectra = block.AsSpan(0, bins * BlockFrames);
                if (power != 1f && power != 2f) TensorPrimitives.Pow(spectra, power / 2, spectra);
                sink(first, count, spectra);
            }
            finally { ArrayPool<float>.Shared.Return(block); ArrayPool<float>.Shared.Return(work); }
        });
    }

    /// <summary>The signal extended by <paramref name="pad"/> samples at both ends.</summary>
    public static float[] Pad(ReadOnlySpan<float> signal, int pad, PadMode mode = PadMode.Reflect)
    {
        var y = new float[signal.Length + 2 * pad];
        signal.CopyTo(y.AsSpan(pad));
        PadInPlace(y, pad, mode);
        return y;
    }

    /// <summary>
    /// Fills the first and last <paramref name="pad"/> samples of <paramref name="padded"/> around the signal
    /// that stands between them (so a caller can build the signal in place in a pooled buffer).
    /// </summary>
    public static void PadInPlace(Span<float> padded, int pad, PadMode mode = PadMode.Reflect)
    {
        int n = padded.Length - 2 * pad;
        if (mode == PadMode.Constant || pad == 0) { padded[..pad].Clear(); padded[(pad + n)..].Clear(); return; }
        if (pad >= n)
            throw new ArgumentException($"Stft: reflect padding of {pad} needs a signal longer than {pad} samples, got {n}", nameof(padded));
        for (int i = 1; i <= pad; i++)
        {
            padded[pad - i] = padded[pad + i];
            padded[pad + n - 1 + i] = padded[pad + n - 1 - i];
        }
    }
}
