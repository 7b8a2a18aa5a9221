using Aver.Tensors;

namespace Aver.Features.Spectral;

/// <summary>
/// A bank of triangular mel filters over the one-sided FFT bins, equal to
/// torchaudio.functional.melscale_fbanks(n_freqs, f_min, f_max, n_mels, sample_rate, norm, mel_scale):
/// n_mels + 2 points equally spaced in mels between f_min and f_max, filter m rising from point m
/// to m + 1 and falling to m + 2, evaluated at the bin frequencies linspace(0, sample_rate // 2, n_freqs).
/// <see cref="Apply(Aver.Tensors.Tensor)"/> skips the zeros of each filter.
/// </summary>
public sealed class MelFilterBank
{
    private readonly int[] _first, _count; // per mel: first non-zero bin and how many

    /// <summary>The weights, shape [n_freqs, n_mels] (torchaudio's layout).</summary>
    public Tensor Weights { get; }
    public int Frequencies => Weights.Dim(0);
    public int Mels => Weights.Dim(1);

    private MelFilterBank(Tensor weights)
    {
        Weights = weights;
        int nf = Frequencies, nm = Mels;
        _first = new int[nm]; _count = new int[nm];
        for (int m = 0; m < nm; m++)
        {
            int lo = nf, hi = -1;
            for (int k = 0; k < nf; k++)
                if (weights.Data[k * nm + m] != 0) { lo = Math.Min(lo, k); hi = k; }
            _first[m] = hi < 0 ? 0 : lo;
            _count[m] = hi < 0 ? 0 : hi - lo + 1;
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int, double, double, int, int, MelNorm, MelScale), MelFilterBank> Cache = new();

    /// <summary>A cached bank for these parameters (see <see cref="Create"/>): building one costs more than a clip's mel products.</summary>
    public static MelFilterBank Get(int nFreqs, double fMin, double fMax, int nMels, int sampleRate, MelNorm norm, MelScale scale) =>
        Cache.GetOrAdd((nFreqs, fMin, fMax, nMels, sampleRate, norm, scale), static k => Create(k.Item1, k.Item2, k.Item3, k.Item4, k.Item5, k.Item6, k.Item7));

    /// <summary>Builds the bank; see the type's summary. Defaults are AVEF's (§2.1.1): 64 bands over 0-8 kHz at 16 kHz, 257 bins.</summary>
    public static MelFilterBank Create(int nFreqs = 257, double fMin = 0, double fMax = 8000, int nMels = 64, int sampleRate = 16000,
        MelNorm norm = MelNorm.None, MelScale scale = MelScale.Htk)
    {
        if (nFreqs < 2) throw new ArgumentOutOfRangeException(nameof(nFreqs), nFreqs, "MelFilterBank: need at least 2 frequency bins");
        if (nMels < 1) throw new ArgumentOutOfRangeException(nameof(nMels), nMels, "MelFilterBank: need at least one mel band");
        if (!(fMin >= 0 && fMin < fMax)) throw new ArgumentException($"MelFilterBank: need 0 <= f_min < f_max, got {fMin} and {fMax}");
        var freqs = new double[nFreqs];
        double nyquist = sampleRate / 2; // integer division, as torchaudio's sample_rate // 2
        for (int k = 0; k < nFreqs; k++) freqs[k] = nyquist * k / (nFreqs - 1);
        double mMin = Mel.FromHz(fMin, scale), mMax = Mel.FromHz(fMax, scale);
        var pts = new double[nMels + 2];
        for (int i = 0; i < pts.Length; i++) pts[i] = Mel.ToHz(mMin + (mMax - mMin) * i / (nMels + 1), scale);
        var w = new Tensor(nFreqs, nMels);
        for (int m = 0; m < nMels; m++)
        {
            double lo = pts[m], mid = pts[m + 1], hi = pts[m + 2];
            double scaleBy = norm == MelNorm.Slaney ? 2 / (hi - lo) : 1;
            for (int k = 0; k < nFreqs; k++)
            {
                double down = (freqs[k] - lo) / (mid - lo), up = (hi - freqs[k]) / (hi - mid);
                double v = Math.Max(0, Math.Min(down, up));
                w.Data[k * nMels + m] = (float)(v * scaleBy);
            }
        }
        return new MelFilterBank(w);
    }

    /// <summary>Mel energies of a spectrogram: [n_frames, n_freqs] -> [n_frames, n_mels] (spec @ weights).</summary>
    public Tensor Apply(Tensor spectrogram)
    {
        if (spectrogram.Rank != 2 || spectrogram.Dim(1) != Frequencies)
            throw new ShapeException($"MelFilterBank.Apply: spectrogram {ShapeMath.Format(spectrogram.Shape)} must be [frames, {Frequencies}]");
        int frames = spectrogram.Dim(0);
        var output = new Tensor(frames, Mels);
        for (int f = 0; f < frames; f++) Apply(spectrogram.Data.AsSpan(f * Frequencies, Frequencies), output.Data.AsSpan(f * Mels, Mels));
        return output;
    }

    /// <summary>
    /// Frequency-major frames: mels[m * melStride + j] = sum_k spectra[k * stride + j] weights[k, m] for
    /// frames j &lt; <paramref name="frames"/>, each band over its non-zero bins in the order of
    /// <see cref="Apply(ReadOnlySpan{float}, Span{float})"/> (the same bits), frames side by side in vector lanes.
    /// </summary>
    public unsafe void ApplyByBand(ReadOnlySpan<float> spectra, int stride, int frames, Span<float> mels, int melStride)
    {
        if (frames < 0 || spectra.Length < (Frequencies - 1) * stride + frames || mels.Length < (Mels - 1) * melStride + frames)
            throw new ArgumentException($"MelFilterBank.ApplyByBand: {frames} frames do not fit spectra of {spectra.Length} (stride {stride}) or mels of {mels.Length} (stride {melStride})");
        fixed (float* s = spectra, m = mels)
            switch (LaneWidths.Current)
            {
                case LaneWidth.V512: ApplyByBand<Lanes512>(s, stride, frames, m, melStride); break;
                case LaneWidth.V256: ApplyByBand<Lanes256>(s, stride, frames, m, melStride); break;
                default: ApplyByBand<Lanes128>(s, stride, frames, m, melStride); break;
            }
    }

    private unsafe void ApplyByBand<T>(float* spectra, int stride, int frames, float* mels, int melStride) where T : struct, ILaneVector<T>
    {
        int nm = Mels, lanes = T.Count, whole = frames - frames % lanes;
        fixed (float* w = Weights.Data)
            for (int m = 0; m < nm; m++)
            {
                int k0 = _first[m], k1 = _first[m] + _count[m];
                float* dst = mels + m * melStride;
                for (int j = 0; j < whole; j += lanes)
                {
                    T acc = T.Zero;
                    for (int k = k0; k < k1; k++) acc = acc + T.Load(spectra + k * stride + j) * T.Broadcast(w[k * nm + m]);
                    T.Store(acc, dst + j);
                }
                for (int j = whole; j < frames; j++)
                {
                    float acc = 0;
                    for (int k = k0; k < k1; k++) acc += spectra[k * stride + j] * w[k * nm + m];
                    dst[j] = acc;
                }
            }
    }

    /// <summary>One frame: <paramref name="spectrum"/> [n_freqs] -> <paramref name="mels"/> [n_mels].</summary>
    public void Apply(ReadOnlySpan<float> spectrum, Span<float> mels)
    {
        var w = Weights.Data;
        int nm = Mels;
        for (int m = 0; m < nm; m++)
        {
            float s = 0;
            for (int k = _first[m], end = _first[m] + _count[m]; k < end; k++) s += spectrum[k] * w[k * nm + m];
            mels[m] = s;
        }
    }
}
