using Aver.Data.Labels;

namespace Aver.Inference;

/// <summary>What became of one branch (audio, visual, ...) of a model on one clip.</summary>
public enum BranchStatus
{
    /// <summary>The branch ran and its probabilities entered the fused decision.</summary>
    Used,
    /// <summary>The clip has no stream for this branch (e.g. an audio file has no video).</summary>
    NoStream,
    /// <summary>The visual branch found no face in any sampled frame.</summary>
    NoFace,
    /// <summary>The audio branch found only silence.</summary>
    Silent,
    /// <summary>The stream could not be decoded; <see cref="BranchResult.Message"/> says why.</summary>
    Failed,
}

/// <summary>Class probabilities over a label space: one value per class, summing to 1.</summary>
public sealed record ClassProbabilities(LabelSpace Space, float[] Values)
{
    /// <summary>The most probable class.</summary>
    public Label Top
    {
        get
        {
            int best = 0;
            for (int i = 1; i < Values.Length; i++) if (Values[i] > Values[best]) best = i;
            return Space[best];
        }
    }

    /// <summary>Probability of the most probable class.</summary>
    public float TopProbability => Values[Top.Index];
}

/// <summary>One branch's outcome on a clip: its status, its clip-level probabilities (when used), and how many steps it saw.</summary>
/// <param name="Name">"audio" or "visual".</param>
/// <param name="Steps">Spectrogram segments (audio) or face frames (visual) the branch ran on.</param>
/// <param name="Weight">The branch's fusion weight (its share among the branches that were used).</param>
public sealed record BranchResult(string Name, BranchStatus Status, ClassProbabilities? Probabilities, int Steps, double Weight, string? Message);

/// <summary>The prediction of one timeline window [Start, End) in seconds, fused over the branches that saw it.</summary>
public sealed record SegmentPrediction(double Start, double End, ClassProbabilities Probabilities, IReadOnlyList<string> Sources);

/// <summary>
/// A model's answer for one clip: the fused clip label and probabilities, each branch's outcome, and a timeline
/// of per-window predictions.
/// </summary>
/// <param name="Path">The clip.</param>
/// <param name="Duration">Seconds of media analysed (the longer of the audio and video streams used).</param>
/// <param name="Probabilities">Fused clip-level probabilities; null when no branch could be used (see <see cref="Branches"/>).</param>
/// <param name="ElapsedSeconds">Wall time from opening the file to the answer, decoding included.</param>
public sealed record ClipPrediction(string Path, double Duration, ClassProbabilities? Probabilities, IReadOnlyList<BranchResult> Branches,
    IReadOnlyList<SegmentPrediction> Timeline, double ElapsedSeconds)
{
    /// <summary>A single-branch model's answer when its branch could not run (no stream, silence, no face): no label, the reason kept.</summary>
    public static ClipPrediction Unanswered(string path, double duration, string branch, BranchStatus status, string message, double elapsed) =>
        new(path, duration, null, [new BranchResult(branch, status, null, 0, 0, message)], [], elapsed);

    /// <summary>The fused label, or null when no branch could be used.</summary>
    public Label? Label => Probabilities?.Top;

    /// <summary>Why no label could be given: one sentence per branch, or null when there is a label.</summary>
    public string? Problem => Probabilities is not null ? null
        : string.Join("; ", Branches.Select(b => $"{b.Name}: {b.Message ?? b.Status.ToString()}"));
}
