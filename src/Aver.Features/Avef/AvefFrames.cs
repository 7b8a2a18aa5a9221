using Aver.Features.Spectral;
using Aver.Tensors;

namespace Aver.Features.Avef;

/// <summary>
/// AVEF's framing (§2.1.1): frame f spans samples [160 f, 160 f + 400), Hamming-windowed and zero-padded
/// to the rfft length. Shared by the log-mel front end and the VAD so their frames coincide.
/// </summary>
public static class AvefFrames
{
    /// <summary>Frames of a signal of <paramref name="length"/> samples: 1 + floor((L - 400) / 160), zero when shorter than one frame.</summary>
    public static int Count(int length, AvefAudioOptions? options = null)
    {
        var o = options ?? new AvefAudioOptions();
        return length < o.FrameLength ? 0 : 1 + (length - o.FrameLength) / o.FrameShift;
    }

    /// <summary>|rfft(frame)|^2 per frame, shape [frames, n_fft / 2 + 1].</summary>
    /// <remarks>
    /// torch.stft places a window shorter than n_fft in the frame's middle (offset (n_fft - win) / 2 = 56);
    /// padding the signal by that offset at both ends (center = false) makes frame f cover exactly
    /// [160 f, 160 f + 400) of the original, as the paper times it (655 ms = 25 + 63 x 10).
    /// </remarks>
    public static Tensor PowerSpectrum(ReadOnlySpan<float> signal, AvefAudioOptions? options = null)
    {
        var o = options ?? new AvefAudioOptions();
        o.Validate();
        int offset = (o.NFft - o.FrameLength) / 2;
        var padded = Stft.Pad(signal, offset, PadMode.Constant);
        var window = Windows.Hamming(o.FrameLength, o.PeriodicWindow);
        var fft = RealFft.Get(o.NFft);
        int frames = Count(signal.Length, o);
        var output = new Tensor(frames, fft.Bins);
        Stft.Compute(padded, fft, o.FrameShift, window, 2f, output.Data, frames);
        return output;
    }
}
