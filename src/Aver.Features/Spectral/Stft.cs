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
    // Frames per parallel work item: large enough to amortise the scratch buffers.
    private const int FramesPerChunk = 64;

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
        var output = new Tensor(frames, fft.Bins);
        Compute(padded, fft, hop, window, power, output.Data, frames);
        return output;
    }

    /// <summary>
    /// |STFT|^power of an already padded signal into <paramref name="output"/> ([frames, n_fft/2 + 1],
    /// row-major), frames in parallel chunks on up to <see cref="Engine.Threads"/> threads.
    /// </summary>
    internal static void Compute(float[] padded, RealFft fft, int hop, float[] window, float power, float[] output, int frames) =>
        ComputeBlocks(padded, fft, hop, window, power, frames, (first, block) => block.CopyTo(output.AsSpan(first * fft.Bins)));

    /// <summary>Receives consecutive frames [first, first + n) as a row-major [n, n_fft/2 + 1] block it may modify.</summary>
    internal delegate void FrameBlockSink(int firstFrame, Span<float> block);

    /// <summary>
    /// |STFT|^power of an already padded signal, handed to <paramref name="sink"/> in blocks of up to 64
    /// frames, blocks in parallel on up to <see cref="Engine.Threads"/> threads: a front end post-processes
    /// (log, transpose) each block while it is still in cache instead of passing over the whole spectrogram again.
    /// </summary>
    internal static void ComputeBlocks(float[] padded, RealFft fft, int hop, float[] window, float power, int frames, FrameBlockSink sink)
    {
        int nFft = fft.Length, bins = fft.Bins, offset = (nFft - window.Length) / 2;
        int chunks = (frames + FramesPerChunk - 1) / FramesPerChunk;
        Engine.For(chunks, c =>
        {
            var frame = new float[nFft];
            var scratch = new float[2 * bins];
            int first = c * FramesPerChunk, end = Math.Min(frames, first + FramesPerChunk);
            var block = new float[(end - first) * bins];
            for (int f = first; f < end; f++)
            {
                var src = padded.AsSpan(f * hop + offset, window.Length);
                System.Numerics.Tensors.TensorPrimitives.Multiply(src, window, frame.AsSpan(offset, window.Length));
                fft.Magnitude(frame, block.AsSpan((f - first) * bins, bins), scratch, power);
            }
            sink(first, block);
        });
    }

    /// <summary>The signal extended by <paramref name="pad"/> samples at both ends.</summary>
    public static float[] Pad(ReadOnlySpan<float> signal, int pad, PadMode mode = PadMode.Reflect)
    {
        int n = signal.Length;
        var y = new float[n + 2 * pad];
        signal.CopyTo(y.AsSpan(pad));
        if (mode == PadMode.Constant || pad == 0) return y;
        if (pad >= n)
            throw new ArgumentException($"Stft: reflect padding of {pad} needs a signal longer than {pad} samples, got {n}", nameof(signal));
        for (int i = 1; i <= pad; i++)
        {
            y[pad - i] = signal[i];
            y[pad + n - 1 + i] = signal[n - 1 - i];
        }
        return y;
    }
}
