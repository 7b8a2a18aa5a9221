using Aver.Features.LogMel;

namespace Aver.Training.Config;

/// <summary>
/// <c>model.audio_cnn</c>: the compact log-mel CNN (<c>model.type: audio-cnn</c>, family "audio-cnn") of
/// the PyTorch peer <c>ravdess-audio-cnn.py</c>. <c>model.dropout</c> is the dropout before its linear layer;
/// its input comes from <c>features.log_mel</c>.
/// </summary>
public sealed class AudioCnnModelConfig
{
    /// <summary>Output channels of each conv block (the peer's 32, 64, 128, 128).</summary>
    public List<int> Widths { get; set; } = [32, 64, 128, 128];
    /// <summary>mixup's α (training batches mixed with λ ~ Beta(α, α)); 0 turns mixup off (the tuned peer: 0.4).</summary>
    public double MixupAlpha { get; set; }
    /// <summary>SpecAugment rounds of one frequency and one time mask per training crop; 0 turns it off (the tuned peer: 2).</summary>
    public int SpecAugmentMasks { get; set; }
    /// <summary>Widest SpecAugment frequency mask in bands (the tuned peer: 8).</summary>
    public int SpecAugmentMaxBands { get; set; } = 8;
    /// <summary>Widest SpecAugment time mask in frames (the tuned peer: 25).</summary>
    public int SpecAugmentMaxFrames { get; set; } = 25;
    /// <summary>A noise floor under training clips: white noise at an SNR drawn from [min, max] dB below the clip's RMS (<c>NoiseFloor</c>, e.g. [10, 50]); empty for none.</summary>
    public List<double> NoiseSnrDb { get; set; } = [];
    /// <summary>The share of training draws that get a noise floor.</summary>
    public double NoiseProbability { get; set; } = 0.5;
    /// <summary>
    /// mean (the peer's global average pooling), attention (a softmax attention over time frames) or reslstm (the frames
    /// through ResLSTM-SA: a residual LSTM, a second LSTM and soft attention; with <c>widths: []</c> the log-mel bands
    /// themselves are the frames).
    /// </summary>
    public string Pooling { get; set; } = "mean";
    /// <summary>The hidden size of ResLSTM-SA's second LSTM (pooling reslstm only; their best: 64).</summary>
    public int RecurrentHidden { get; set; } = 64;
    /// <summary>Speeds besides 1.0 a training clip may be played at (<c>SpeedPerturbation</c>; e.g. [0.9, 1.1]); empty for none.</summary>
    public List<double> SpeedPerturbation { get; set; } = [];

    /// <summary>mp3 bitrates (kbit/s) a training clip may be round-tripped through (<c>CodecAugmentation</c>; e.g. [32, 64, 128]); empty for none.</summary>
    public List<int> CodecKbps { get; set; } = [];
    /// <summary>The share of training draws that go through a codec.</summary>
    public double CodecProbability { get; set; } = 0.5;

    /// <summary>The codec augmentation these settings describe, or null when <see cref="CodecKbps"/> is empty.</summary>
    public Aver.Features.Augmentation.CodecAugmentation? Codec() => CodecKbps.Count > 0 ? new(CodecKbps.ToArray(), CodecProbability) : null;

    /// <summary>The noise floor these settings describe, or null when <see cref="NoiseSnrDb"/> is empty.</summary>
    public Aver.Features.Augmentation.NoiseFloor? NoiseFloor() =>
        NoiseSnrDb.Count == 2 ? new(NoiseSnrDb[0], NoiseSnrDb[1], NoiseProbability) : null;
}

/// <summary>The checks of <c>model.type: audio-cnn</c>, its <c>model.audio_cnn</c> and <c>features.log_mel</c>; each problem names its key.</summary>
public static class AudioCnnConfigValidator
{
    public static void Validate(ExperimentConfig c, Action<string, string> fail)
    {
        var m = c.Model!;
        if (m.Variant is not null) fail("model.variant", "applies to mrpn only, not audio-cnn");
        if (m.Modality is not null && !m.Modality.Equals("audio", StringComparison.OrdinalIgnoreCase))
            fail("model.modality", $"'{m.Modality}' is not runnable by audio-cnn, which takes audio only");
        if (!c.Strategy.Equals("end-to-end", StringComparison.OrdinalIgnoreCase)) fail("strategy", "audio-cnn trains end-to-end only");
        var cnn = m.AudioCnn ?? new AudioCnnModelConfig();
        var widths = cnn.Widths;
        if (cnn.MixupAlpha < 0) fail("model.audio_cnn.mixup_alpha", $"must not be negative (0 turns mixup off), got {cnn.MixupAlpha}");
        if (cnn.SpecAugmentMasks < 0) fail("model.audio_cnn.spec_augment_masks", $"must not be negative (0 turns SpecAugment off), got {cnn.SpecAugmentMasks}");
        if (cnn.SpecAugmentMaxBands < 0) fail("model.audio_cnn.spec_augment_max_bands", $"must not be negative, got {cnn.SpecAugmentMaxBands}");
        if (cnn.SpecAugmentMaxFrames < 0) fail("model.audio_cnn.spec_augment_max_frames", $"must not be negative, got {cnn.SpecAugmentMaxFrames}");
        try { new Aver.Features.Augmentation.SpeedPerturbation(cnn.SpeedPerturbation).Validate(); }
        catch (ArgumentException e) { fail("model.audio_cnn.speed_perturbation", e.Message.Replace("speed perturbation: ", "")); }
        if (cnn.NoiseSnrDb.Count is not (0 or 2)) fail("model.audio_cnn.noise_snr_db", $"must be [min, max] in dB (or empty for none), got {cnn.NoiseSnrDb.Count} values");
        else if (cnn.NoiseFloor() is { } noise)
            try { noise.Validate(); }
            catch (ArgumentException e) { fail(e.Message.Contains("probability") ? "model.audio_cnn.noise_probability" : "model.audio_cnn.noise_snr_db", e.Message.Replace("noise floor: ", "")); }
        if (cnn.Codec() is { } codec)
            try { codec.Validate(); }
            catch (ArgumentException e) { fail(e.Message.Contains("probability") ? "model.audio_cnn.codec_probability" : "model.audio_cnn.codec_kbps", e.Message.Replace("codec: ", "")); }
        if (!Aver.Models.AudioCnn.AudioCnnArchitecture.Poolings.Contains(cnn.Pooling))
            fail("model.audio_cnn.pooling", $"must be one of {string.Join(", ", Aver.Models.AudioCnn.AudioCnnArchitecture.Poolings)}, got '{cnn.Pooling}'");
        bool resLstm = cnn.Pooling == "reslstm";
        if ((widths.Count == 0 && !resLstm) || widths.Any(w => w < 1))
            fail("model.audio_cnn.widths", $"must list one or more positive channel counts (none only with pooling reslstm), got [{string.Join(", ", widths)}]");
        if (cnn.RecurrentHidden < 1) fail("model.audio_cnn.recurrent_hidden", $"must be positive, got {cnn.RecurrentHidden}");
        try { (c.Features.LogMel ?? new LogMelOptions()).Validate(); }
        catch (ArgumentException e) { fail("features.log_mel", e.Message.Replace("LogMelOptions: ", "")); }
    }
}
