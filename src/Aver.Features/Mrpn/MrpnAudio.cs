using Aver.Features.Signal;
using Aver.Features.Spectral;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Features.Mrpn;

/// <summary>MRPN audio segments: log-magnitude spectrograms [segments, 1, bins, frames] and each segment's [start, end) in the clip.</summary>
public sealed record MrpnAudioSegments(Tensor Spectrograms, TimeInterval[] Times)
{
    public int Count => Times.Length;
}

/// <summary>
/// The MRPN audio front end (MRPN §4.4 items 3-4): resample to 16 kHz, standardise the whole clip by
/// its mean and standard deviation, cut 1-s segments every 0.2 s (over-sampling, used in training and
/// testing), and take each segment's log-magnitude spectrogram (Hann 512, hop 64): [1, 256, 250].
/// </summary>
/// <remarks>
/// How 256 x 250 is settled (the paper gives only the shape): bins 0..255 are kept and the Nyquist
/// bin (257th, 8 kHz) is dropped; segment frame f (0..249) is the Hann window centred on sample
/// start + 64 f, i.e. torch.stft(segment, 512, 64, center = True)[:256, :250] without its 251st frame
/// (centred on the segment's end, which belongs to the next second). Frames near a segment's edges
/// see the clip's real samples beyond it (reflect padding only at the clip's own ends), so one STFT of
/// the clip serves every overlapping segment: a segment hop of 3200 samples is exactly 50 frames.
/// A clip (or slice) shorter than 1 s is zero-padded, after standardisation, to one segment;
/// otherwise a tail shorter than one segment hop is not covered.
/// </remarks>
public static class MrpnAudio
{
    /// <summary>The segments of <paramref name="audio"/>, or of <paramref name="slice"/> of it (times stay relative to the clip).</summary>
    public static MrpnAudioSegments Compute(AudioBuffer audio, MrpnAudioOptions? options = null, TimeInterval? slice = null)
    {
        var o = options ?? new MrpnAudioOptions();
        o.Validate();
        audio = Resampler.Resample(audio, o.SampleRate);
        // §4.4 item 3: the whole clip is standardised; a time-augmentation slice is cut afterwards.
        float[] x = Standardization.Apply(audio.Samples);
        int offset = 0;
        if (slice is TimeInterval s)
        {
            offset = Math.Clamp((int)Math.Round(s.Start * o.SampleRate), 0, x.Length);
            int end = Math.Clamp((int)Math.Round(s.End * o.SampleRate), offset, x.Length);
            x = x[offset..end];
        }
        if (x.Length < o.SegmentSamples) Array.Resize(ref x, o.SegmentSamples);

        int count = 1 + (x.Length - o.SegmentSamples) / o.SegmentHopSamples;
        var spectrum = Stft.Compute(x, o.NFft, o.HopLength, Windows.Hann(o.NFft), center: true, PadMode.Reflect, power: 1f);
        int bins = spectrum.Dim(1), frames = o.Frames, framesPerHop = o.SegmentHopSamples / o.HopLength;
        int clipFrames = spectrum.Dim(0);
        var mag = spectrum.Data;
        System.Numerics.Tensors.TensorPrimitives.Add(mag, o.LogEpsilon, mag);
        System.Numerics.Tensors.TensorPrimitives.Log(mag, mag);
        // Transposed once to [bins, clip frames]: every segment row is then one contiguous copy.
        var logT = Transpose(mag, clipFrames, bins, o.Bins);

        // Each segment is an image [bins (height, low frequencies first), frames (width)].
        var output = new Tensor(count, 1, o.Bins, frames);
        var times = new TimeInterval[count];
        for (int seg = 0; seg < count; seg++)
        {
            var dst = output.Data.AsSpan(seg * o.Bins * frames, o.Bins * frames);
            int first = seg * framesPerHop;
            for (int k = 0; k < o.Bins; k++) logT.AsSpan(k * clipFrames + first, frames).CopyTo(dst.Slice(k * frames, frames));
            double start = (double)(offset + seg * o.SegmentHopSamples) / o.SampleRate;
            times[seg] = new TimeInterval(start, start + (double)o.SegmentSamples / o.SampleRate);
        }
        return new MrpnAudioSegments(output, times);
    }

    // [rows, cols] -> [keep, rows], keeping the first `keep` columns; blocked so both sides stay in cache.
    private static float[] Transpose(float[] src, int rows, int cols, int keep)
    {
        const int Block = 32;
        var dst = new float[keep * rows];
        for (int r0 = 0; r0 < rows; r0 += Block)
            for (int c0 = 0; c0 < keep; c0 += Block)
            {
                int r1 = Math.Min(rows, r0 + Block), c1 = Math.Min(keep, c0 + Block);
                for (int r = r0; r < r1; r++)
                    for (int c = c0; c < c1; c++) dst[c * rows + r] = src[r * cols + c];
            }
        return dst;
    }
}
