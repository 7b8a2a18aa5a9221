using Aver.Data.Labels;

namespace Aver.Inference;

/// <summary>How a clip is analysed at prediction time.</summary>
public sealed record PredictionOptions
{
    /// <summary>Timeline window length in seconds.</summary>
    public double WindowSeconds { get; init; } = 1.0;
    /// <summary>Seconds between timeline window starts.</summary>
    public double WindowStep { get; init; } = 0.5;
    /// <summary>Frames per second the visual branch samples (a few suffice: expressions change slowly, and detection costs per frame).</summary>
    public double VisualFps { get; init; } = 4;
    /// <summary>Run only these branches (e.g. "audio"); null runs every branch the clip has a stream for.</summary>
    public IReadOnlySet<string>? Only { get; init; }
    /// <summary>Photos: average the face's ten-crop views (<see cref="Branches.FaceBranch.TenCrop"/>, +1.1 points on FER2013 test) or, false, classify the one centred view (10x less network time).</summary>
    public bool TenCrop { get; init; } = true;

    /// <summary>Throws naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(WindowSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(WindowSeconds), WindowSeconds, "timeline window must be positive");
        if (!(WindowStep > 0)) throw new ArgumentOutOfRangeException(nameof(WindowStep), WindowStep, "timeline step must be positive");
        if (!(VisualFps > 0) || VisualFps > 120) throw new ArgumentOutOfRangeException(nameof(VisualFps), VisualFps, "visual sampling rate must be in (0, 120] fps");
    }
}

/// <summary>
/// A model that answers for a whole clip (file path in, <see cref="ClipPrediction"/> out). The decision-level
/// fusion bundle is one; an AVEF or MRPN bundle plugs in as another through <see cref="ModelLoader.Register"/>.
/// Implementations are used from one thread at a time.
/// </summary>
public interface IClipModel
{
    /// <summary>The label space of the fused prediction.</summary>
    LabelSpace Labels { get; }

    /// <summary>One line naming the model (format, branches, source file).</summary>
    string Description { get; }

    /// <summary>Analyses <paramref name="path"/>. Media problems of one branch are reported in its <see cref="BranchResult"/>; a file no branch can read throws <see cref="Aver.Media.MediaException"/>.</summary>
    ClipPrediction Predict(string path, PredictionOptions options);
}
