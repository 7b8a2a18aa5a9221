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
        audio = Resampler.Resample(audio, o.SampleRate);
        var x = PreEmphasis.Apply(audio.Samples, o.PreEmphasis);
        int minLength = o.FrameLength + (o.FramesPerSegment - 1) * o.FrameShift;
        if (x.Length < minLength) Array.Resize(ref x, minLength);
        var power = AvefFrames.PowerSpectrum(x, o);
        var bank = MelFilterBank.Create(power.Dim(1), o.FMin, o.FMax, o.Mels, o.SampleRate, o.MelNorm, o.MelScale);
        var mel = bank.Apply(power);
        System.Numerics.Tensors.TensorPrimitives.Add(mel.Data, o.LogOffset, mel.Data);
        System.Numerics.Tensors.TensorPrimitives.Log(mel.Data, mel.Data);
        return mel;
    }

    /// <summary>The segments of <paramref name="audio"/> (mono, any rate).</summary>
    public static AvefAudioSegments Compute(AudioBuffer audio, AvefAudioOptions? options = null)
    {
        var o = options ?? new AvefAudioOptions();
        o.Validate();
        var logMel = LogMel(audio, o);
        int frames = logMel.Dim(0), mels = o.Mels, t = o.FramesPerSegment;
        int count = 1 + (frames - t) / o.SegmentStepFrames;
        var output = new Tensor(count, 3, mels, t);
        var firstFrames = new int[count];
        var times = new TimeInterval[count];
        Engine.For(count, seg =>
        {
            int first = seg * o.SegmentStepFrames;
            var c = logMel.Data.AsSpan(first * mels, t * mels);   // [t, mels]
            var d1 = new float[t * mels];
            var d2 = new float[t * mels];
            Deltas.Compute(c, d1, t, mels, o.DeltaN);
            Deltas.Compute(d1, d2, t, mels, o.DeltaN);
            var dst = output.Data.AsSpan(seg * 3 * mels * t, 3 * mels * t);
            BlockTranspose.Into(c, t, mels, mels, dst[..(mels * t)], t, 0);
            BlockTranspose.Into(d1, t, mels, mels, dst.Slice(mels * t, mels * t), t, 0);
            BlockTranspose.Into(d2, t, mels, mels, dst.Slice(2 * mels * t, mels * t), t, 0);
            firstFrames[seg] = first;
            times[seg] = o.SegmentTime(first);
        });
        return new AvefAudioSegments(output, firstFrames, times);
    }
}

