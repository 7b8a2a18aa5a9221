using System.Buffers;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Aver.Features.Signal;
using Aver.Features.Spectral;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Features.Avef;

/// <summary>
/// AVEF audio segments: stacks [segments, 3, mels, frames] (channels: log-mel, delta, delta-delta;
/// height mel bands from low, width time, as AVEF Fig. 3), each segment's first analysis frame and its
/// [start, end) in the clip.
/// </summary>
public sealed record AvefAudioSegments(Tensor Stacks, int[] FirstFrames, TimeInterval[] Times)
{
    public int Count => Times.Length;
}

/// <summary>
/// The AVEF audio front end (AVEF §2.1.1): 16 kHz mono, pre-emphasis (mu = 0.97), 25-ms Hamming frames
/// every 10 ms, log(melbank(64) |rfft|^2 + 0.01) (eq. 2.1), then per segment of 64 frames (655 ms,
/// every 34 frames: 30 frames of overlap) the first and second differences with N = 2 (eq. 2.2),
/// giving 64 x 64 x 3 stacks.
/// </summary>
/// <remarks>
/// The paper computes the differences "of all frames in each segment", so they are taken per segment
/// with the segment's edge frames repeated (compute_deltas' replicate mode). A clip shorter than one
/// segment is zero-padded to 655 ms. Frames after the last whole segment are not covered. VAD-based
/// dropping of silent segments (case 2) is a separate step: see <see cref="Vad.SegmentSelection"/>.
/// </remarks>
public static class AvefAudio
{
    /// <summary>The log-mel spectrogram of eq. 2.1 for every frame, [frames, mels] (after resampling and pre-emphasis).</summary>
    public static Tensor LogMel(AudioBuffer audio, AvefAudioOptions? options = null)
    {
        var o = options ?? new AvefAudioOptions();
        o.Validate();
        var byBand = LogMelByBand(audio, o, out int frames);
        try
        {
            var mel = new Tensor(GC.AllocateUninitializedArray<float>(frames * o.Mels), frames, o.Mels);
            BlockTranspose.Into(byBand, o.Mels, frames, frames, mel.Data, o.Mels, 0);
            return mel;
        }
        finally { ArrayPool<float>.Shared.Return(byBand); }
    }

    /// <summary>The segments of <paramref name="audio"/> (mono, any rate).</summary>
    public static AvefAudioSegments Compute(AudioBuffer audio, AvefAudioOptions? options = null)
    {
        var o = options ?? new AvefAudioOptions();
        o.Validate();
        var logMel = LogMelByBand(audio, o, out int frames);
        try
        {
            int mels = o.Mels, t = o.FramesPerSegment, size = mels * t;
            int count = 1 + (frames - t) / o.SegmentStepFrames;
            var output = new Tensor(GC.AllocateUninitializedArray<float>(count * 3 * size), count, 3, mels, t);
            var firstFrames = new int[count];
            var times = new TimeInterval[count];
            Engine.For(count, seg =>
            {
                int first = seg * o.SegmentStepFrames;
                // The segment's three [mels, t] images, each band's frames one contiguous row: the log-mel rows
                // are copies, the differences run along them.
                var dst = output.Data.AsSpan(seg * 3 * size, 3 * size);
                Span<float> c = dst[..size], d1 = dst.Slice(size, size), d2 = dst.Slice(2 * size, size);
                for (int m = 0; m < mels; m++) logMel.AsSpan(m * frames + first, t).CopyTo(c.Slice(m * t, t));
                Deltas.ComputeAlongRows(c, d1, mels, t, o.DeltaN);
                Deltas.ComputeAlongRows(d1, d2, mels, t, o.DeltaN);
                firstFrames[seg] = first;
                times[seg] = o.SegmentTime(first);
            });
            return new AvefAudioSegments(output, firstFrames, times);
        }
        finally { ArrayPool<float>.Shared.Return(logMel); }
    }

    /// <summary>
    /// log(melbank |rfft|^2 + 0.01) as [mels, frames] (frequency-major) in a pooled array the caller returns:
    /// pre-emphasis writes straight into the padded buffer, and the mel bank and log run on each block of
    /// spectra the STFT hands over, while it is in cache.
    /// </summary>
    private static float[] LogMelByBand(AudioBuffer audio, AvefAudioOptions o, out int frames)
    {
        var samples = Resampler.Resample(audio, o.SampleRate).Samples;
        // A clip shorter than one segment is zero-padded (after pre-emphasis) to one.
        int length = Math.Max(samples.Length, o.FrameLength + (o.FramesPerSegment - 1) * o.FrameShift);
        // Padding by the window's offset in the rfft frame makes frame f cover [160 f, 160 f + 400) (see AvefFrames).
        int pad = (o.NFft - o.FrameLength) / 2, n = frames = AvefFrames.Count(length, o);
        var padded = ArrayPool<float>.Shared.Rent(length + 2 * pad);
        var logMel = ArrayPool<float>.Shared.Rent(o.Mels * n);
        try
        {
            var body = padded.AsSpan(pad, length);
            PreEmphasis.Apply(samples, o.PreEmphasis, body);
            body[samples.Length..].Clear();
            Stft.PadInPlace(padded.AsSpan(0, length + 2 * pad), pad, PadMode.Constant);
            var fft = RealFft.Get(o.NFft);
            var bank = MelFilterBank.Get(fft.Bins, o.FMin, o.FMax, o.Mels, o.SampleRate, o.MelNorm, o.MelScale);
            Stft.ComputeBlocks(padded, length + 2 * pad, fft, o.FrameShift, Windows.SharedHamming(o.FrameLength, o.PeriodicWindow), 2f, n,
                (first, count, block) =>
                {
                    // The block's mel energies go straight into their place in the [mels, frames] rows and are logged there.
                    var rows = logMel.AsSpan(first);
                    bank.ApplyByBand(block, Stft.BlockFrames, count, rows, n);
                    LaneLog.AddThenLog(rows, o.Mels, n, count, o.LogOffset);
                });
            return logMel;
        }
        catch { ArrayPool<float>.Shared.Return(logMel); throw; }
        finally { ArrayPool<float>.Shared.Return(padded); }
    }
}
