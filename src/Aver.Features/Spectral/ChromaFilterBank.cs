using System.Collections.Concurrent;
using Aver.Tensors;

namespace Aver.Features.Spectral;

/// <summary>
/// Weights that fold a power spectrum into 12 pitch classes (C, C#, ..., B), as librosa's <c>filters.chroma</c> with
/// its defaults (A440 tuning, Gaussian bumps two semitones wide around each class's frequencies, weighted by a
/// Gaussian over octaves centred on octave 5 with width 2, each frequency's weights of unit L2 norm, C first).
/// <see cref="Apply"/> gives librosa's <c>chroma_stft</c> without its tuning estimate: the weighted sums, each frame
/// divided by its largest class (ResLSTM-SA's 12 chroma features beside 34 MFCCs).
/// </summary>
public sealed class ChromaFilterBank
{
    public const int Classes = 12;
    private static readonly ConcurrentDictionary<(int, int), ChromaFilterBank> Cache = new();

    /// <summary>The weights, [bins, 12] (bins = n_fft / 2 + 1; the DC bin weighs nothing).</summary>
    public float[] Weights { get; }
    public int Bins { get; }

    private ChromaFilterBank(float[] weights, int bins) { Weights = weights; Bins = bins; }

    /// <summary>The bank for an <paramref name="nFft"/>-point spectrum at <paramref name="sampleRate"/> Hz (cached).</summary>
    public static ChromaFilterBank Get(int nFft, int sampleRate) => Cache.GetOrAdd((nFft, sampleRate), k => Create(k.Item1, k.Item2));

    private static ChromaFilterBank Create(int nFft, int sampleRate)
    {
        int bins = nFft / 2 + 1;
        // Each FFT bin's pitch in semitones above A0 (27.5 Hz = 440 / 16); bin 0 (DC) is put 1.5 octaves under bin 1.
        var pitch = new double[nFft];
        for (int k = 1; k < nFft; k++) pitch[k] = Classes * Math.Log2(k * (double)sampleRate / nFft / (440.0 / 16));
        pitch[0] = pitch[1] - 1.5 * Classes;
        var width = new double[nFft];
        for (int k = 0; k < nFft - 1; k++) width[k] = Math.Max(pitch[k + 1] - pitch[k], 1.0);
        width[nFft - 1] = 1.0;
        var w = new double[bins, Classes];
        for (int k = 0; k < bins; k++)
        {
            double norm = 0;
            for (int c = 0; c < Classes; c++)
            {
                // distance to class c in semitones, wrapped into [-6, 6)
                double d = pitch[k] - c;
                d = ((d + 6 + 10 * Classes) % Classes + Classes) % Classes - 6;
                double v = Math.Exp(-0.5 * Math.Pow(2 * d / width[k], 2));
                w[k, c] = v;
                norm += v * v;
            }
            norm = Math.Sqrt(norm);
            double octave = Math.Exp(-0.5 * Math.Pow((pitch[k] / Classes - 5.0) / 2.0, 2));
            for (int c = 0; c < Classes; c++) w[k, c] = norm > 0 ? w[k, c] / norm * octave : 0;
        }
        // Classes counted from A above; rolled so that C comes first (A is class 9).
        var weights = new float[bins * Classes];
        for (int k = 0; k < bins; k++)
            for (int c = 0; c < Classes; c++) weights[k * Classes + c] = (float)w[k, (c + 3) % Classes];
        return new ChromaFilterBank(weights, bins);
    }

    /// <summary>
    /// Chroma of a power spectrogram [frames, bins]: [frames, 12], each frame divided by its largest class (a frame
    /// with no energy stays zero).
    /// </summary>
    public Tensor Apply(Tensor power)
    {
        if (power.Rank != 2 || power.Dim(1) != Bins)
            throw new ShapeException($"ChromaFilterBank.Apply: spectrogram {ShapeMath.Format(power.Shape)} must be [frames, {Bins}]");
        int frames = power.Dim(0);
        var chroma = new Tensor(frames, Classes);
        Blas.Sgemm(false, false, frames, Classes, Bins, power.Data, Weights, chroma.Data);
        for (int f = 0; f < frames; f++)
        {
            var row = chroma.Data.AsSpan(f * Classes, Classes);
            float max = System.Numerics.Tensors.TensorPrimitives.Max(row);
            if (max > 1e-30f) System.Numerics.Tensors.TensorPrimitives.Multiply(row, 1f / max, row);
        }
        return chroma;
    }
}
