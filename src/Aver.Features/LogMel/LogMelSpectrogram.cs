using System.Collections.Concurrent;
using Aver.Features.Signal;
using Aver.Features.Spectral;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Features.LogMel;

/// <summary>
/// The log-mel image of a clip, as the PyTorch peer computes it (<see cref="LogMelOptions"/>): waveform
/// standardised, centre 3.5 s kept (or zeros appended), then torchaudio's MelSpectrogram (|STFT|^2, centred
/// reflect-padded frames, periodic Hann window of win_length inside n_fft) and log(mel + 1e-6). Built from
/// Aver's <see cref="Stft"/> and <see cref="MelFilterBank"/>, which match torch.stft and melscale_fbanks.
/// </summary>
public static class LogMelSpectrogram
{
    private static readonly ConcurrentDictionary<LogMelOptions, (float[] Window, MelFilterBank Bank)> Plans = new();

    /// <summary>
    /// The clip's log-mel image [mels, ClipFrames] (mel bands from low, time along rows), from mono audio at
    /// the options' sample rate (<see cref="Resampler"/> converts another rate).
    /// </summary>
    public static Tensor Compute(AudioBuffer audio, LogMelOptions options)
    {
        options.Validate();
        if (audio.SampleRate != options.SampleRate) audio = Resampler.Resample(audio, options.SampleRate);
        var clip = FixedLength(audio.Samples, options);
        var (window, bank) = Plans.GetOrAdd(options, o => (Windows.Hann(o.WinLength),
            MelFilterBank.Create(o.NFft / 2 + 1, o.FMin, o.FMax, o.Mels, o.SampleRate, o.MelNorm, o.MelScale)));
        var power = Stft.Compute(clip, options.NFft, options.HopLength, window, center: true, PadMode.Reflect, power: 2f);
        var mel = bank.Apply(power);                                   // [frames, mels]
        System.Numerics.Tensors.TensorPrimitives.Add(mel.Data, options.LogOffset, mel.Data);
        System.Numerics.Tensors.TensorPrimitives.Log(mel.Data, mel.Data);
        int frames = mel.Dim(0), mels = mel.Dim(1);
        var image = new Tensor(mels, frames);
        BlockTranspose.Into(mel.Data, frames, mels, mels, image.Data, frames, 0);
        if (options.UtteranceNorm) SubtractBandMeans(image.Data, mels, frames, SpokenFrames(audio.Samples.Length, options, frames));
        return image;
    }

    /// <summary>
    /// Frames of the image that hold the clip's own samples: all of them when the clip was cut to length, only the
    /// first ones when zeros were appended (a band's mean over padding is log(epsilon), not the speaker's).
    /// </summary>
    private static int SpokenFrames(int samples, LogMelOptions options, int frames) =>
        samples >= options.ClipSamples ? frames : Math.Clamp(samples / options.HopLength + 1, 1, frames);

    /// <summary>Each row of <paramref name="image"/> [mels, frames] minus its mean over its first <paramref name="spoken"/> frames.</summary>
    private static void SubtractBandMeans(Span<float> image, int mels, int frames, int spoken)
    {
        for (int m = 0; m < mels; m++)
        {
            var row = image.Slice(m * frames, frames);
            float mean = System.Numerics.Tensors.TensorPrimitives.Sum(row[..spoken]) / spoken;
            System.Numerics.Tensors.TensorPrimitives.Subtract(row, mean, row);
        }
    }

    /// <summary>
    /// The samples the spectrogram is taken of: standardised (when the options say so) over the whole clip,
    /// then its centre ClipSamples kept, or zeros appended to a shorter clip (the peer's order).
    /// </summary>
    public static float[] FixedLength(ReadOnlySpan<float> samples, LogMelOptions options)
    {
        var x = options.StandardizeWaveform ? Standardization.Apply(samples) : samples.ToArray();
        int n = options.ClipSamples;
        if (x.Length == n) return x;
        var clip = new float[n];
        if (x.Length > n) x.AsSpan((x.Length - n) / 2, n).CopyTo(clip);
        else x.CopyTo(clip, 0);
        return clip;
    }
}
