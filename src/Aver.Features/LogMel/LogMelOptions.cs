using System.Text.Json.Serialization;
using Aver.Features.Spectral;

namespace Aver.Features.LogMel;

/// <summary>
/// A log-mel front end for compact speech-emotion CNNs; the defaults are those of the PyTorch peer
/// (<c>../shared/peers/ravdess-audio-cnn.py</c>): 16 kHz, each clip standardised by its own mean and
/// deviation, cut to its centre 3.5 s (when shorter: zeros appended in the peer, here centred in a faint noise floor,
/// <see cref="PadNoiseDb"/>), |STFT|^2 with n_fft 512,
/// a 25-ms periodic Hann window (400) and a 10-ms hop (160), centred frames with reflect padding,
/// 64 HTK mel bands over 0-8000 Hz without norm, log(mel + 1e-6): 351 frames per clip. Networks see
/// crops of 3.0 s (301 frames): a random one per training pass, those at a 0.25-s hop (0, 25, 50 frames)
/// at evaluation, their logits averaged.
/// </summary>
public sealed record LogMelOptions
{
    public int SampleRate { get; init; } = 16000;
    /// <summary>Standardise each clip's waveform (mean 0, deviation 1) before it is cut (the peer's per-clip standardisation).</summary>
    public bool StandardizeWaveform { get; init; } = true;
    public int NFft { get; init; } = 512;
    /// <summary>Hann window length in samples (25 ms); centred in the n_fft frame.</summary>
    public int WinLength { get; init; } = 400;
    /// <summary>Samples between frames (10 ms).</summary>
    public int HopLength { get; init; } = 160;
    public int Mels { get; init; } = 64;
    public double FMin { get; init; }
    public double FMax { get; init; } = 8000;
    public MelScale MelScale { get; init; } = MelScale.Htk;
    public MelNorm MelNorm { get; init; } = MelNorm.None;
    /// <summary>The epsilon of log(mel + epsilon).</summary>
    public float LogOffset { get; init; } = 1e-6f;
    /// <summary>Every clip is cut (centre) or padded (<see cref="PadNoiseDb"/>) to this length.</summary>
    public double ClipSeconds { get; init; } = 3.5;
    /// <summary>
    /// A clip shorter than <see cref="ClipSeconds"/> is centred in white noise this many dB under its own RMS; 0 appends
    /// digital zeros after it, as the peer does (and every model made before this option; a spec without it reads 50).
    /// Zeros are a silence no recording has: on RAVDESS clips with their pauses cut off (1.2-1.6 s), the shipped model
    /// called 59 of 104 "surprise" and scored 39 % against 57 % uncut; centred in a -50 dB floor it scored 50 %
    /// (results/2026-12-06/short-clips). The noise is the same for every clip (a fixed seed), in training and prediction.
    /// </summary>
    public double PadNoiseDb { get; init; } = 50;
    /// <summary>Length of the crops the network sees.</summary>
    public double CropSeconds { get; init; } = 3.0;
    /// <summary>Hop between the evaluation crops (whose logits are averaged).</summary>
    public double EvalHopSeconds { get; init; } = 0.25;
    /// <summary>
    /// Subtract each band's mean over the clip's own frames (cepstral mean normalisation in the log-mel domain): a
    /// fixed channel or vocal-tract colouring is a constant offset per band there, so this takes it out before the
    /// fold's band statistics apply. Off in the peer and in every model made before it existed (then left out of the spec).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool UtteranceNorm { get; init; }

    /// <summary>
    /// Subtract each band's mean over all the clips of the clip's speaker (unlabelled: test speakers' own clips too),
    /// so that a voice's fixed colouring goes and what varies within the speaker stays (utterance-level normalisation
    /// takes out the emotion's own level and tilt as well). Applied by the experiment, which knows the speakers;
    /// prediction does not do it yet, and refuses such a model. Left out of the spec when off.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool SpeakerNorm { get; init; }

    /// <summary>
    /// Keep this many cepstral coefficients instead of the bands (MFCCs: an orthonormal DCT-II of each frame's log-mel
    /// bands, the first <see cref="Cepstra"/> kept); 0 keeps the log-mel bands. Truncating the cepstrum smooths each
    /// frame's spectral envelope and drops the fine harmonic detail of the voice's pitch (ResLSTM-SA reads 34 MFCCs).
    /// Left out of the spec when 0.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Cepstra { get; init; }

    /// <summary>
    /// Append the 12 pitch classes of each frame's power spectrum (<see cref="Spectral.ChromaFilterBank"/>: librosa's
    /// chroma_stft without its tuning estimate, each frame divided by its largest class) below the bands or cepstra: 0 or
    /// 12. ResLSTM-SA reads 34 MFCCs and 12 chroma. Left out of the spec when 0.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Chroma { get; init; }

    /// <summary>Rows of the image: <see cref="Cepstra"/> when set, else <see cref="Mels"/>, then <see cref="Chroma"/>.</summary>
    [JsonIgnore] public int Bands => (Cepstra > 0 ? Cepstra : Mels) + Chroma;

    /// <summary>"64-band log-mel", "34 MFCCs of 64-band log-mel" or "34 MFCCs + 12 chroma of ...": what the image's rows are.</summary>
    [JsonIgnore] public string Describe => (Cepstra > 0 ? $"{Cepstra} MFCCs" + (Chroma > 0 ? $" + {Chroma} chroma" : "") + " of " : Chroma > 0 ? $"{Chroma} chroma + " : "") + $"{Mels}-band log-mel";

    /// <summary>Samples of a fixed-length clip (56000 by default).</summary>
    [JsonIgnore] public int ClipSamples => (int)Math.Round(ClipSeconds * SampleRate);
    /// <summary>Centred STFT frames of a clip: ClipSamples / hop + 1 (351).</summary>
    [JsonIgnore] public int ClipFrames => ClipSamples / HopLength + 1;
    /// <summary>Frames of a crop: CropSeconds * rate / hop + 1 (301).</summary>
    [JsonIgnore] public int CropFrames => (int)Math.Round(CropSeconds * SampleRate) / HopLength + 1;
    /// <summary>Crop start frames a random training crop may take: 0 .. ClipFrames - CropFrames.</summary>
    [JsonIgnore] public int CropPositions => ClipFrames - CropFrames + 1;

    /// <summary>First frames of the evaluation crops: 0, hop, 2 hop, ... while the crop fits (0, 25, 50 by default).</summary>
    public int[] EvalOffsets()
    {
        int step = Math.Max(1, (int)Math.Round(EvalHopSeconds * SampleRate) / HopLength);
        var offsets = new int[(CropPositions - 1) / step + 1];
        for (int i = 0; i < offsets.Length; i++) offsets[i] = i * step;
        return offsets;
    }

    /// <summary>Throws naming the first inconsistent option.</summary>
    public void Validate()
    {
        if (SampleRate < 1) throw new ArgumentException($"LogMelOptions: sample rate must be positive, got {SampleRate}");
        if (NFft < 2 || (NFft & (NFft - 1)) != 0) throw new ArgumentException($"LogMelOptions: n_fft must be a power of two, got {NFft}");
        if (WinLength < 1 || WinLength > NFft) throw new ArgumentException($"LogMelOptions: window length {WinLength} must be in [1, n_fft {NFft}]");
        if (HopLength < 1) throw new ArgumentException($"LogMelOptions: hop must be positive, got {HopLength}");
        if (Mels < 1) throw new ArgumentException($"LogMelOptions: need at least one mel band, got {Mels}");
        if (Chroma is not (0 or Spectral.ChromaFilterBank.Classes)) throw new ArgumentException($"LogMelOptions: chroma must be 0 or {Spectral.ChromaFilterBank.Classes} pitch classes, got {Chroma}");
        if (Cepstra < 0 || Cepstra > Mels) throw new ArgumentException($"LogMelOptions: cepstra must be in [0, mels {Mels}] (0 keeps the bands), got {Cepstra}");
        if (!(FMin >= 0 && FMin < FMax && FMax <= SampleRate / 2.0)) throw new ArgumentException($"LogMelOptions: need 0 <= f_min < f_max <= {SampleRate / 2}, got {FMin} and {FMax}");
        if (!(LogOffset > 0)) throw new ArgumentException($"LogMelOptions: log offset must be positive, got {LogOffset}");
        if (!(CropSeconds > 0 && CropSeconds <= ClipSeconds)) throw new ArgumentException($"LogMelOptions: crop {CropSeconds} s must be in (0, clip {ClipSeconds} s]");
        if (ClipSamples <= NFft / 2) throw new ArgumentException($"LogMelOptions: a clip of {ClipSeconds} s is shorter than half an FFT frame");
        if (!(EvalHopSeconds > 0)) throw new ArgumentException($"LogMelOptions: evaluation hop must be positive, got {EvalHopSeconds}");
        if (!(PadNoiseDb >= 0 && double.IsFinite(PadNoiseDb))) throw new ArgumentException($"LogMelOptions: pad noise must be 0 (zeros) or a positive number of dB under the clip's RMS, got {PadNoiseDb}");
    }
}
