namespace Aver.Training.Config;

/// <summary>The checks of <c>model.type: avef</c> and its <c>model.avef</c> section; each problem names its key.</summary>
public static class AvefConfigValidator
{
    public static void Validate(ModelConfig m, Action<string, string> fail)
    {
        if (m.Variant is not null) fail("model.variant", "applies to mrpn only, not avef");
        if (m.Modality is not null && !m.Modality.Equals("audio", StringComparison.OrdinalIgnoreCase))
            fail("model.modality", $"'{m.Modality}' is not runnable by avef (give audio for audio-only AVEF, or leave it out for audio + video)");
        var a = m.Avef ?? new AvefModelConfig();
        if (a.Case is not (1 or 2)) fail("model.avef.case", $"must be 1 (all segments) or 2 (VAD drops silent segments), got {a.Case}");
        if (!(a.MinSpeechFraction is >= 0 and <= 1)) fail("model.avef.min_speech_fraction", $"must be in [0, 1], got {a.MinSpeechFraction}");
        if (!(a.AudioWidth > 0 && a.AudioWidth <= 4)) fail("model.avef.audio_width", $"must be in (0, 4], got {a.AudioWidth}");
        if (!(a.VisualWidth > 0 && a.VisualWidth <= 4)) fail("model.avef.visual_width", $"must be in (0, 4], got {a.VisualWidth}");
        if (a.AudioFc < 1) fail("model.avef.audio_fc", $"must be at least 1, got {a.AudioFc}");
        if (a.VisualFc < 1) fail("model.avef.visual_fc", $"must be at least 1, got {a.VisualFc}");
        if (a.DbnHidden.Count == 0 || a.DbnHidden.Any(h => h < 1)) fail("model.avef.dbn_hidden", $"must list at least one positive layer size, got [{string.Join(", ", a.DbnHidden)}]");
        if (a.AudioEpochs < 0) fail("model.avef.audio_epochs", $"must not be negative, got {a.AudioEpochs}");
        if (a.VisualEpochs < 0) fail("model.avef.visual_epochs", $"must not be negative, got {a.VisualEpochs}");
        if (a.WholeEpochs < 1) fail("model.avef.whole_epochs", $"must be at least 1, got {a.WholeEpochs}");
        if (a.WholeBatchSize is int wb && wb < 1) fail("model.avef.whole_batch_size", $"must be at least 1, got {wb}");
        if (a.RbmEpochs < 0) fail("model.avef.rbm_epochs", $"must not be negative, got {a.RbmEpochs}");
        if (!(a.RbmLearningRate > 0)) fail("model.avef.rbm_learning_rate", $"must be positive, got {a.RbmLearningRate}");
        if (a.SvmDegree < 1) fail("model.avef.svm_degree", $"must be at least 1, got {a.SvmDegree}");
        if (!(a.SvmC > 0)) fail("model.avef.svm_c", $"must be positive, got {a.SvmC}");
        if (a.SvmGamma is double g && !(g > 0)) fail("model.avef.svm_gamma", $"must be positive, got {g}");
        if (a.TransferFrom is string t && string.IsNullOrWhiteSpace(t)) fail("model.avef.transfer_from", "is empty");
    }
}
