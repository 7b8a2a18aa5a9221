using System.Collections.Concurrent;
using Aver.Features.Signal;
using Aver.Features.Spectral;
using Aver.Media;
using Aver.Tensors;

namespace Aver.Features.LogMel;

/// <summary>
/// The log-mel image of a clip, as the PyTorch peer computes it (<see cref="LogMelOptions"/>): waveform
/// standardised, centre 3.5 s kept (or a shorter clip centred in a faint noise floor; zeros after it in the peer),
/// then torchaudio's MelSpectrogram (|STFT|^2, centred reflect-padded frames, periodic Hann window of win_length
/// inside n_fft) and log(mel + 1e-6). Built from Aver's <see cref="Stft"/> and <see cref="MelFilterBank"/>, which
/// match torch.stft and melscale_fbanks.
/// </summary>
public static class LogMelSpectrogram
{
    private static readonly ConcurrentDictionary<LogMelOptions, (float[] Window, MelFilterBank Bank)> Plans = new();

    /// <summary>
    /// The clip's log-mel image [mels, ClipFrames] (mel bands from low, time along rows), or its first cepstral rows
    /// [cepstra, ClipFrames] (<see cref="LogMelOptions.Cepstra"/>), from mono audio at the options' sample rate
    /// (<see cref="Resampler"/> converts another rate).
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
        if (options.Cepstra > 0) image = Cepstrum(image, options.Cepstra);
        if (options.Chroma > 0) image = WithChroma(image, ChromaFilterBank.Get(options.NFft, options.SampleRate).Apply(power));
        if (options.UtteranceNorm)
        {
            var (first, count) = SpokenFrames(audio.Samples.Length, options, frames);
            SubtractBandMeans(image.Data, options.Bands, frames, first, count);
        }
        return image;
    }

    /// <summary>The rows of <paramref name="image"/> [rows, frames] followed by the 12 of <paramref name="chroma"/> [frames, 12].</summary>
    private static Tensor WithChroma(Tensor image, Tensor chroma)
    {
        int rows = image.Dim(0), frames = image.Dim(1), classes = chroma.Dim(1);
        var both = new Tensor(rows + classes, frames);
        image.Data.AsSpan(0, rows * frames).CopyTo(both.Data);
        BlockTranspose.Into(chroma.Data, frames, classes, classes, both.Data.AsSpan(rows * frames), frames, 0);
        return both;
    }

    private static readonly ConcurrentDictionary<(int, int), float[]> DctMatrices = new();

    /// <summary>
    /// The first <paramref name="keep"/> coefficients of each column's orthonormal DCT-II (scipy's dct type 2, norm "ortho",
    /// as librosa's MFCC takes it): c_k = sqrt(2 / M) s_k sum_m x_m cos(pi k (m + 1/2) / M), s_0 = 1 / sqrt 2, else 1.
    /// </summary>
    internal static Tensor Cepstrum(Tensor image, int keep)
    {
        int mels = image.Dim(0), frames = image.Dim(1);
        var dct = DctMatrices.GetOrAdd((keep, mels), km =>
        {
            var d = new float[km.Item1 * km.Item2];
            for (int k = 0; k < km.Item1; k++)
                for (int m = 0; m < km.Item2; m++)
                    d[k * km.Item2 + m] = (float)(Math.Sqrt((k == 0 ? 1.0 : 2.0) / km.Item2) * Math.Cos(Math.PI * k * (m + 0.5) / km.Item2));
            return d;
        });
        var cepstra = new Tensor(keep, frames);
        Aver.Tensors.Blas.Sgemm(false, false, keep, frames, mels, dct, image.Data, cepstra.Data);
        return cepstra;
    }

    /// <summary>
    /// Frames of the image that hold the clip's own samples, (first, count): all of them when the clip was cut to length,
    /// only those of the clip when it was padded (a band's mean over padding is the pad's level, not the speaker's).
    /// </summary>
    private static (int First, int Count) SpokenFrames(int samples, LogMelOptions options, int frames)
    {
        if (samples >= options.ClipSamples) return (0, frames);
        int first = Math.Min(PadStart(samples, options) / options.HopLength, frames - 1);
        return (first, Math.Clamp(samples / options.HopLength + 1, 1, frames - first));
    }

    /// <summary>Each row of <paramref name="image"/> [mels, frames] minus its mean over frames [first, first + count).</summary>
    private static void SubtractBandMeans(Span<float> image, int mels, int frames, int first, int count)
    {
        for (int m = 0; m < mels; m++)
        {
            var row = image.Slice(m * frames, frames);
            float mean = System.Numerics.Tensors.TensorPrimitives.Sum(row.Slice(first, count)) / count;
            System.Numerics.Tensors.TensorPrimitives.Subtract(row, mean, row);
        }
    }

    // The one noise every padded clip gets (training and prediction alike), scaled to the clip.
    private const ulong PadNoiseSeed = 0x5EED_0F_F100D;

    /// <summary>
    /// The samples the spectrogram is taken of: standardised (when the options say so) over the whole clip,
    /// then its centre ClipSamples kept, or a shorter clip centred in a noise floor <see cref="LogMelOptions.PadNoiseDb"/>
    /// under its RMS (when that is 0, followed by zeros as in the peer; either way standardised first, then padded).
    /// </summary>
    public static float[] FixedLength(ReadOnlySpan<float> samples, LogMelOptions options)
    {
        var x = options.StandardizeWaveform ? Standardization.Apply(samples) : samples.ToArray();
        int n = options.ClipSamples;
        if (x.Length == n) return x;
        var clip = new float[n];
        if (x.Length > n) { x.AsSpan((x.Length - n) / 2, n).CopyTo(clip); return clip; }
        int start = PadStart(x.Length, options);
        double rms = x.Length == 0 ? 0 : Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(x) / x.Length);
        if (options.PadNoiseDb > 0 && rms > 0)
            new RandomStream(PadNoiseSeed).FillNormal(clip, 0f, (float)(rms * Math.Pow(10, -options.PadNoiseDb / 20)));
        x.CopyTo(clip, start);
        return clip;
    }

    /// <summary>
    /// Where a clip of <paramref name="samples"/> (shorter than ClipSamples) starts in its fixed-length window: at 0 with
    /// zeros after it (the peer), or centred in the noise floor, as speech sits in a RAVDESS clip between its pauses (on
    /// clips with the pauses cut off, 39 % with zeros after them, 45 % with the same noise after them, 50 % centred; 57 % uncut).
    /// </summary>
    private static int PadStart(int samples, LogMelOptions options) =>
        options.PadNoiseDb > 0 && samples < options.ClipSamples ? (options.ClipSamples - samples) / 2 : 0;
}
