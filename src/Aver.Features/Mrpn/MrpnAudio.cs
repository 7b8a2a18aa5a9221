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
        // (A slice is standardised with the whole clip's statistics, without a copy of the whole clip.)
        float[] x;
        int offset = 0;
        if (slice is TimeInterval s)
        {
            int length = audio.Samples.Length;
            offset = Math.Clamp((int)Math.Round(s.Start * o.SampleRate), 0, length);
            int end = Math.Clamp((int)Math.Round(s.End * o.SampleRate), offset, length);
            x = Standardization.Apply(audio.Samples.AsSpan(offset, end - offset), Standardization.Statistics(audio.Samples));
        }
        else x = Standardization.Apply(audio.Samples);
        return FromStandardised(x, o, offset);
    }

    /// <summary>
    /// The segments of samples <paramref name="x"/> already standardised (at <paramref name="o"/>'s rate), the first
    /// starting at sample <paramref name="firstSample"/> of its clip. Live input uses it with the statistics heard so far.
    /// </summary>
    public static MrpnAudioSegments FromStandardised(float[] x, MrpnAudioOptions o, long firstSample)
    {
        if (x.Length < o.SegmentSamples) Array.Resize(ref x, o.SegmentSamples);

        int count = 1 + (x.Length - o.SegmentSamples) / o.SegmentHopSamples;
        int frames = o.Frames, framesPerHop = o.SegmentHopSamples / o.HopLength;
        // Only the frames some segment uses; the clip's STFT frame f is centred on sample 64 f.
        int clipFrames = (count - 1) * framesPerHop + frames;
        // Pooled: the clip-wide intermediate is as large as a quarter of the output and would otherwise be
        // a fresh large-object allocation (page faults, gen-2 collections) for every clip.
        var logT = System.Buffers.ArrayPool<float>.Shared.Rent(o.Bins * clipFrames);
        try
        {
            LogMagnitudeByBin(x, o, clipFrames, logT);
            // Each segment is an image [bins (height, low frequencies first), frames (width)]: every row is one
            // contiguous copy out of the clip's [bins, frames] log-magnitude.
            var output = new Tensor(GC.AllocateUninitializedArray<float>(count * o.Bins * frames), count, 1, o.Bins, frames);
            var times = new TimeInterval[count];
            Engine.For(count, seg =>
            {
                var dst = output.Data.AsSpan(seg * o.Bins * frames, o.Bins * frames);
                int first = seg * framesPerHop;
                for (int k = 0; k < o.Bins; k++) logT.AsSpan(k * clipFrames + first, frames).CopyTo(dst.Slice(k * frames, frames));
                double start = (double)(firstSample + seg * o.SegmentHopSamples) / o.SampleRate;
                times[seg] = new TimeInterval(start, start + (double)o.SegmentSamples / o.SampleRate);
            });
            return new MrpnAudioSegments(output, times);
        }
        finally { System.Buffers.ArrayPool<float>.Shared.Return(logT); }
    }

    /// <summary>
    /// log(|STFT| + eps) of the clip into <paramref name="logT"/> as [bins, frames] (frequency-major, the segments' layout). The log and
    /// the transpose run on each block of frames as the STFT produces it, while it is in cache.
    /// </summary>
    private static void LogMagnitudeByBin(float[] x, MrpnAudioOptions o, int frames, float[] logT)
    {
        var fft = RealFft.Get(o.NFft);
        var padded = Stft.Pad(x, o.NFft / 2, PadMode.Reflect);
        int bins = fft.Bins, keep = o.Bins;
        Stft.ComputeBlocks(padded, fft, o.HopLength, Windows.Hann(o.NFft), power: 1f, frames, (first, block) =>
        {
            System.Numerics.Tensors.TensorPrimitives.Add(block, o.LogEpsilon, block);
            System.Numerics.Tensors.TensorPrimitives.Log(block, block);
            BlockTranspose.Into(block, block.Length / bins, bins, keep, logT, frames, first);
        });
    }
}
