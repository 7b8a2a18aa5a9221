using Aver.Data.Catalogs;
using Aver.Data.Labels;
using Aver.Data.Protocols;
using Aver.Features.Mrpn;
using Aver.Training.Training;

namespace Aver.Training.Config;

/// <summary>Checks every key of an <see cref="ExperimentConfig"/> and lists all problems at once, each naming its key.</summary>
public static class ExperimentConfigValidator
{
    public static readonly string[] ModelTypes = ["mrpn", "unimodal", "classifier", "avef", "audio-cnn"];
    public static readonly string[] Variants = ["N0", "N1", "N2"];
    public static readonly string[] Modalities = ["audio", "video"];
    public static readonly string[] Aggregators = ["lstm", "bilstm", "transformer"];
    public static readonly string[] Strategies = ["late-fusion", "end-to-end"];
    public static readonly string[] DatasetKinds = [.. DatasetReader.Names, "cremad", "emodb", "fer"];

    public static IReadOnlyList<ConfigError> Validate(ExperimentConfig c)
    {
        var errors = new List<ConfigError>();
        void Fail(string key, string problem) => errors.Add(new ConfigError(key, problem));
        void OneOf(string key, string? value, string[] allowed, bool required = true)
        {
            if (value is null) { if (required) Fail(key, $"is required (one of {string.Join(", ", allowed)})"); return; }
            if (!allowed.Contains(value, StringComparer.OrdinalIgnoreCase)) Fail(key, $"'{value}' is not one of {string.Join(", ", allowed)}");
        }
        void Positive(string key, double value) { if (!(value > 0)) Fail(key, $"must be positive, got {value}"); }

        if (string.IsNullOrWhiteSpace(c.Name)) Fail("name", "is required");
        else if (c.Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || c.Name.Contains('/')) Fail("name", $"'{c.Name}' cannot name a folder");

        if (c.Dataset is null) Fail("dataset", "is required (path and kind)");
        else
        {
            if (string.IsNullOrWhiteSpace(c.Dataset.Path)) Fail("dataset.path", "is required");
            OneOf("dataset.kind", c.Dataset.Kind, DatasetKinds);
        }

        if (c.Labels is null) Fail("labels", $"is required (one of {string.Join(", ", LabelSpaces.All.Select(s => s.Name))})");
        else if (LabelSpaces.Find(c.Labels) is null) Fail("labels", $"'{c.Labels}' is not a known label space ({string.Join(", ", LabelSpaces.All.Select(s => s.Name))})");

        if (c.Protocol is null) Fail("protocol", "is required (name, params)");
        else
        {
            OneOf("protocol.name", c.Protocol.Name, ProtocolRegistry.Known.Select(p => p.Name).ToArray());
            foreach (var (key, value) in c.Protocol.Params)
            {
                if (key != "k") Fail($"protocol.params.{key}", "is not a protocol parameter (known: k)");
                else if (!int.TryParse(value, out int k) || k < 2) Fail("protocol.params.k", $"must be an integer of at least 2, got '{value}'");
            }
        }

        if (c.Model is null) Fail("model", "is required (type, ...)");
        else
        {
            ValidateModel(c.Model, c.Strategy, Fail, OneOf, Positive);
            ValidateInputs(c.Model, c.Features.Video, c.Features.Audio, Fail);
            bool audioCnn = string.Equals(c.Model.Type, "audio-cnn", StringComparison.OrdinalIgnoreCase);
            if (audioCnn) AudioCnnConfigValidator.Validate(c, Fail);
            if (!audioCnn && c.Model.AudioCnn is not null) Fail("model.audio_cnn", $"applies to model.type audio-cnn only, not {c.Model.Type}");
            if (!audioCnn && c.Features.LogMel is not null) Fail("features.log_mel", $"applies to model.type audio-cnn only, not {c.Model.Type}");
        }

        OneOf("strategy", c.Strategy, Strategies);

        var t = c.Training;
        if (t.Epochs < 1) Fail("training.epochs", $"must be at least 1, got {t.Epochs}");
        if (t.BatchSize < 1) Fail("training.batch_size", $"must be at least 1, got {t.BatchSize}");
        if (t.EvalBatchSize < 1) Fail("training.eval_batch_size", $"must be at least 1, got {t.EvalBatchSize}");
        Positive("training.learning_rate", t.LearningRate);
        if (t.WeightDecay < 0) Fail("training.weight_decay", $"must not be negative, got {t.WeightDecay}");
        if (!(t.Momentum is > 0 and < 1)) Fail("training.momentum", $"must be in (0, 1), got {t.Momentum}");
        if (t.EarlyStoppingPatience < 0) Fail("training.patience", $"must not be negative (0 disables early stopping), got {t.EarlyStoppingPatience}");
        if (t.PlateauPatience < 0) Fail("training.plateau_patience", $"must not be negative, got {t.PlateauPatience}");
        if (!(t.PlateauFactor > 0 && t.PlateauFactor < 1)) Fail("training.plateau_factor", $"must be in (0, 1), got {t.PlateauFactor}");
        if (t.MaxReductions < 0) Fail("training.max_reductions", $"must not be negative, got {t.MaxReductions}");
        bool cosine = t.Schedule == ScheduleKind.Cosine;
        if (t.WarmupEpochs < 0 || (cosine && t.WarmupEpochs >= t.Epochs))
            Fail("training.warmup_epochs", $"must be non-negative and fewer than training.epochs, got {t.WarmupEpochs}");
        if (t.WarmupEpochs > 0 && !cosine) Fail("training.warmup_epochs", "applies to schedule: cosine only");
        if (t.EmaDecay is double ema && !(ema is > 0 and < 1)) Fail("training.ema_decay", $"must be in (0, 1), got {ema}");
        if (t.SwaEpochs is int swa && (swa < 1 || swa > t.Epochs)) Fail("training.swa_epochs", $"must be between 1 and training.epochs ({t.Epochs}), got {swa}");
        if (t.SwaLr is double swaLr && (!(swaLr > 0) || t.SwaEpochs is null || !cosine))
            Fail("training.swa_lr", "must be positive and comes with training.swa_epochs and schedule: cosine");
        else if (t.SwaLr is not null && !t.AnnealsBeforeSwa())
            Fail("training.swa_lr", $"needs the warm-up ({t.WarmupEpochs} epochs) to end before the averaged epochs start (epoch {t.SwaFromEpoch()})");
        if (t.SwaUpdateBatchNorm && t.SwaEpochs is null) Fail("training.swa_update_batch_norm", "re-measures the SWA average's batch-norm statistics and comes with training.swa_epochs");
        if (t.SwaEpochs is not null && t.EmaDecay is not null) Fail("training.swa_epochs", "and training.ema_decay exclude each other: keep one weight average");
        if (t.Ensemble < 1) Fail("training.ensemble", $"must be at least 1, got {t.Ensemble}");
        if (t.ClipGradNorm is double clip) Positive("training.clip_grad_norm", clip);
        if (t.Threads is int threads && threads < 1) Fail("training.threads", $"must be at least 1, got {threads}");

        var a = c.Features.Audio;
        Positive("features.audio.sample_rate", a.SampleRate);
        Positive("features.audio.segment_samples", a.SegmentSamples);
        Positive("features.audio.segment_hop_samples", a.SegmentHopSamples);
        Positive("features.audio.hop_length", a.HopLength);
        Positive("features.audio.log_epsilon", a.LogEpsilon);
        // One STFT of the clip serves every segment only when segments and their hop are whole STFT hops (MrpnAudio).
        if (a.HopLength > 0)
            foreach (var (key, samples) in new[] { ("features.audio.segment_samples", a.SegmentSamples), ("features.audio.segment_hop_samples", a.SegmentHopSamples) })
                if (samples > 0 && samples % a.HopLength != 0) Fail(key, $"{samples} must be a whole number of hops of {a.HopLength} samples");
        if (a.NFft < 2 || (a.NFft & (a.NFft - 1)) != 0) Fail("features.audio.n_fft", $"must be a power of two (an FFT size), got {a.NFft}");
        else if (a.Bins < 1 || a.Bins > a.NFft / 2 + 1) Fail("features.audio.bins", $"must be in [1, n_fft / 2 + 1 = {a.NFft / 2 + 1}], got {a.Bins}");
        var v = c.Features.Video;
        Positive("features.video.face_size", v.FaceSize);
        Positive("features.video.fps", v.Fps);
        Positive("features.video.min_slice_seconds", v.MinSliceSeconds);
        OneOf("features.video.color", v.Color, ["rgb", "gray"]);
        return errors;
    }

    private static void ValidateModel(ModelConfig m, string strategy, Action<string, string> fail,
        Action<string, string?, string[], bool> oneOf, Action<string, double> positive)
    {
        oneOf("model.type", m.Type, ModelTypes, true);
        string type = m.Type?.ToLowerInvariant() ?? "";
        if (type == "mrpn")
        {
            oneOf("model.variant", m.Variant, Variants, true);
            if (m.Modality is not null) fail("model.modality", "does not apply to mrpn, which takes audio and video");
        }
        else if (type is "unimodal" or "classifier")
        {
            if (m.Variant is not null) fail("model.variant", $"applies to mrpn only, not {type}");
            oneOf("model.modality", m.Modality, Modalities, true);
            if (strategy.Equals("late-fusion", StringComparison.OrdinalIgnoreCase))
                fail("strategy", $"late-fusion needs model.type mrpn (a {type} network has nothing to fuse)");
        }
        else if (type == "avef") AvefConfigValidator.Validate(m, fail);
        if (type != "avef" && m.Avef is not null) fail("model.avef", $"applies to model.type avef only, not {type}");
        oneOf("model.aggregator", m.Aggregator, Aggregators, true);
        positive("model.extractor_width", m.ExtractorWidth);
        positive("model.aggregator_hidden", m.AggregatorHidden);
        positive("model.scoring_hidden", m.ScoringHidden);
        if (!(m.Dropout >= 0 && m.Dropout < 1)) fail("model.dropout", $"must be in [0, 1), got {m.Dropout}");
        if (m.VisualWidth is int vw && vw < 1) fail("model.visual_width", $"must be positive, got {vw}");
        foreach (var (key, shape) in new[] { ("model.audio_input", m.AudioInput), ("model.video_input", m.VideoInput) })
            if (shape.Count != 3 || shape.Any(d => d < 1)) fail(key, $"must be [channels, height, width] of positive sizes, got [{string.Join(", ", shape)}]");
        bool late = strategy.Equals("late-fusion", StringComparison.OrdinalIgnoreCase);
        if (!late && m.AudioNetwork is not null) fail("model.audio_network", "applies to strategy late-fusion only");
        if (!late && m.VisualNetwork is not null) fail("model.visual_network", "applies to strategy late-fusion only");
        bool usesVideo = type == "mrpn" || (type == "unimodal" && string.Equals(m.Modality, "video", StringComparison.OrdinalIgnoreCase));
        bool usesAudio = type == "mrpn" || (type == "unimodal" && string.Equals(m.Modality, "audio", StringComparison.OrdinalIgnoreCase));
        if (!usesVideo && m.VisualInit is not null) fail("model.visual_init", $"the {type} {m.Modality} network has no visual extractor");
        if (!usesAudio && m.AudioInit is not null) fail("model.audio_init", $"the {type} {m.Modality} network has no audio extractor");
        if (!usesVideo && m.VisualWidth is not null) fail("model.visual_width", $"the {type} {m.Modality} network has no visual extractor");
    }

    /// <summary>
    /// The spectrogram pooling factor p of model.audio_input [1, bins/p, frames/p], or null when it is not of
    /// that form; bins and frames are those of features.audio (MRPN §4.4: 256 x 250).
    /// </summary>
    public static int? AudioPool(IReadOnlyList<int> input, MrpnAudioOptions? audio = null)
    {
        var (bins, frames) = SegmentShape(audio ?? new MrpnAudioOptions());
        for (int p = 1; p <= 16; p++)
            if (input.Count == 3 && input[0] == 1 && input[1] == bins / p && input[2] == frames / p) return p;
        return null;
    }

    /// <summary>Height and width of one spectrogram segment: its bins by segment / hop frames.</summary>
    public static (int Bins, int Frames) SegmentShape(MrpnAudioOptions a) => (a.Bins, a.HopLength > 0 ? a.Frames : 0);

    // The inputs the model declares must be what the features produce (MRPN §4.4): pooled 256 x 250 spectrograms, face crops.
    private static void ValidateInputs(ModelConfig m, VideoFeaturesConfig v, MrpnAudioOptions a, Action<string, string> fail)
    {
        string type = m.Type?.ToLowerInvariant() ?? "";
        if (type is not ("mrpn" or "unimodal")) return;
        bool video = type == "mrpn" || string.Equals(m.Modality, "video", StringComparison.OrdinalIgnoreCase);
        bool audio = type == "mrpn" || string.Equals(m.Modality, "audio", StringComparison.OrdinalIgnoreCase);
        if (audio && m.AudioInput.Count == 3 && AudioPool(m.AudioInput, a) is null)
        {
            var (bins, frames) = SegmentShape(a);
            fail("model.audio_input", $"[{string.Join(", ", m.AudioInput)}] must be [1, {bins}/p, {frames}/p] for a whole p, the features.audio segments pooled (e.g. [1, {bins}, {frames}] or [1, {bins / 8}, {frames / 8}])");
        }
        if (video && m.VideoInput.Count == 3 && v.FaceSize > 0 && v.Color is "rgb" or "gray")
        {
            int channels = v.Color == "gray" ? 1 : 3;
            if (m.VideoInput[0] != channels || m.VideoInput[1] != v.FaceSize || m.VideoInput[2] != v.FaceSize)
                fail("model.video_input", $"[{string.Join(", ", m.VideoInput)}] does not match features.video (color {v.Color}, face_size {v.FaceSize}): expected [{channels}, {v.FaceSize}, {v.FaceSize}]");
        }
    }
}
