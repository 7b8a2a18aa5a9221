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
        // §4.4 item 3: the whole clip is standardised; a time-augmentation slice is cut afterwards
        // (standardised with the whole clip's statistics, without a copy of the whole clip).
        ReadOnlySpan<float> part = audio.Samples;
        int offset = 0;
        if (slice is TimeInterval s)
        {
            int length = audio.Samples.Length;
            offset = Math.Clamp((int)Math.Round(s.Start * o.SampleRate), 0, length);
            int end = Math.Clamp((int)Math.Round(s.End * o.SampleRate), offset, length);
            part = part.Slice(offset, end - offset);
        }
        return Segments(part, Standardization.Statistics(audio.Samples), o, offset);
    }

    /// <summary>
    /// The segments of <paramref name="part"/> (samples at <paramref name="o"/>'s rate, the first being sample
    /// <paramref name="firstSample"/> of its clip), standardised with <paramref name="statistics"/>: the whole clip's
    /// for a file, those heard so far for a live stream.
    /// </summary>
    public static MrpnAudioSegments Segments(ReadOnlySpan<float> part, (double Mean, double Std) statistics, MrpnAudioOptions o, long firstSample)
    {
        // A part shorter than a segment is zero-padded after standardisation.
        int samples = Math.Max(part.Length, o.SegmentSamples), pad = o.NFft / 2;

        int count = 1 + (samples - o.SegmentSamples) / o.SegmentHopSamples;
        int frames = o.Frames, framesPerHop = o.SegmentHopSamples / o.HopLength;
        // Only the frames some segment uses; the clip's STFT frame f is centred on sample 64 f.
        int clipFrames = (count - 1) * framesPerHop + frames;
        // The padded signal is pooled. The clip-wide intermediate (a quarter of the output) lives outside the GC heap:
        // as a pooled array it lived on the large-object heap among the clip outputs, and the GC then returned the
        // memory of each freed output to the OS, so every output was faulted in afresh (17x the page faults, half the
        // speed; see bench/features/README.md). The C allocator keeps freed blocks mapped, as torch's tensors get them.
        var padded = System.Buffers.ArrayPool<float>.Shared.Rent(samples + 2 * pad);
        var logT = new NativeBuffer(o.Bins * clipFrames);
        try
        {
            // Standardised straight into the middle of the padded buffer, then reflected at both ends.
            var body = padded.AsSpan(pad, samples);
            Standardization.Apply(part, statistics, body);
            body[part.Length..].Clear();
            Stft.PadInPlace(padded.AsSpan(0, samples + 2 * pad), pad, PadMode.Reflect);
            LogMagnitudeByBin(padded, samples + 2 * pad, o, clipFrames, logT);
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
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(padded);
            logT.Dispose();
        }
    }

    /// <summary>
    /// log(|STFT| + eps) of the padded clip into <paramref name="logT"/> as [bins, frames] (frequency-major, the
    /// segments' layout): the STFT hands over frequency-major blocks, whose log is taken while they are in cache.
    /// </summary>
    private static void LogMagnitudeByBin(float[] padded, int length, MrpnAudioOptions o, int frames, NativeBuffer logT)
    {
        int keep = o.Bins;
        Stft.ComputeBlocks(padded, length, RealFft.Get(o.NFft), o.HopLength, Windows.SharedHann(o.NFft), power: 1f, frames, (first, count, block) =>
        {
            var rows = block[..(keep * Stft.BlockFrames)];
            LaneLog.AddThenLog(rows, keep, Stft.BlockFrames, count, o.LogEpsilon);
            for (int k = 0; k < keep; k++) rows.Slice(k * Stft.BlockFrames, count).CopyTo(logT.AsSpan(k * frames + first, count));
        });
    }
}
