using Aver.Data.Metrics;
using Aver.Models.ResNet;
using Aver.Training.Training;

namespace Aver.Training.Pretraining;

/// <summary>Which training augmentation FER pre-training applies to the standardised 48x48 faces.</summary>
public enum FaceAugmentationKind
{
    /// <summary>None.</summary>
    None,
    /// <summary>The original one: a flip with probability 1/2 and a shift of up to ±4 pixels (zero fill).</summary>
    FlipShift,
    /// <summary><see cref="FaceAugmentation.Recipe"/>: random resized crop, shift, flip, rotation ±10°, random erasing.</summary>
    Recipe,
}

/// <summary>Settings of <see cref="FerPretraining"/>. The defaults are the original recipe (ImageNet stem, AdamW, plateau).</summary>
/// <param name="DataDir">FER2013 in the folder layout (train|test/&lt;class&gt;/*.jpg) or as fer2013.csv.</param>
/// <param name="Output">The model file to write (ResNet-18 with its fc; MRPN's visual branch loads it without fc).</param>
/// <param name="Width">ResNet-18 width (64 in the paper; 16 trains on a CPU).</param>
/// <param name="LimitPerClass">Use at most this many training and test images per class (smoke runs); null for all.</param>
/// <param name="ValidationFraction">Share of the training images held out, per class, for early stopping.</param>
public sealed record PretrainOptions(string DataDir, string Output, int Width = 16, int Epochs = 10, int BatchSize = 64,
    double LearningRate = 1e-3, int? LimitPerClass = null, double ValidationFraction = 0.1, ulong Seed = 1, int? Threads = null)
{
    /// <summary>
    /// The seed that draws the validation hold-out (and the <see cref="LimitPerClass"/> subsets); null: <see cref="Seed"/>.
    /// Networks meant to answer together as an ensemble share it, so that the images calibrating the ensemble were held
    /// out by every member, while their own <see cref="Seed"/>s (initialisation, order, augmentation) differ.
    /// </summary>
    public ulong? SplitSeed { get; init; }

    /// <summary>The seed the hold-out is drawn with.</summary>
    public ulong EffectiveSplitSeed => SplitSeed ?? Seed;

    /// <summary>The layers before <c>layer1</c>; <see cref="ResNetStem.Small"/> keeps 48 px faces at full resolution.</summary>
    public ResNetStem Stem { get; init; } = ResNetStem.ImageNet;
    public FaceAugmentationKind Augmentation { get; init; } = FaceAugmentationKind.FlipShift;
    /// <summary>Random erasing probability with <see cref="FaceAugmentationKind.Recipe"/> (Zhong et al. 2020: 0.5).</summary>
    public double ErasingProbability { get; init; } = 0.5;
    /// <summary>Label smoothing ε of the cross-entropy (Szegedy et al. 2016 §7: 0.1); 0 for none.</summary>
    public float LabelSmoothing { get; init; }
    /// <summary>Mixup's α (Zhang et al. 2018: 0.1 to 0.4 on ImageNet); 0 for none.</summary>
    public double MixupAlpha { get; init; }
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;
    /// <summary>Weight decay; null for the optimiser's usual value (AdamW 0.01, SGD 5e-4).</summary>
    public double? WeightDecay { get; init; }
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Plateau;
    public int WarmupEpochs { get; init; }
    /// <summary>Epochs without a better validation accuracy before stopping; null never stops early.</summary>
    public int? EarlyStoppingPatience { get; init; } = 6;
    /// <summary>
    /// An <c>aver pretrain</c> network (or a bundle's <c>BUNDLE#visual.N</c>) whose weights this run starts from instead
    /// of a fresh initialisation: a fine-tune, e.g. a short cosine restart with <see cref="SwaEpochs"/>. It must have
    /// this run's architecture and hold-out (split seed), or the hold-out would select on images it trained on.
    /// </summary>
    public string? InitFrom { get; init; }
    /// <summary>Average the weights of the last N epochs' ends (SWA, Izmailov et al. 2018), validated and kept; null for none.</summary>
    public int? SwaEpochs { get; init; }
    /// <summary>With <see cref="SwaEpochs"/>: measure the average's batch-norm statistics afresh (<see cref="TrainerOptions.SwaUpdateBatchNorm"/>).</summary>
    public bool SwaUpdateBatchNorm { get; init; }
    /// <summary>Also evaluate the test images with ten-crop averaging (<see cref="TenCrop"/>).</summary>
    public bool TenCrop { get; init; }
    /// <summary>Train at most this many epochs in this session, then stop after the checkpoint; the same command continues.</summary>
    public int? SessionEpochs { get; init; }
    /// <summary>The command line that made the model, recorded in its spec's provenance.</summary>
    public string? Command { get; init; }

    /// <summary>The weight decay the run uses.</summary>
    public double EffectiveWeightDecay => WeightDecay ?? (Optimizer == OptimizerKind.SgdNesterov ? 5e-4 : 0.01);
}

/// <summary>
/// What pre-training measured: FER2013 test accuracy and UAR of the best-validation weights (single view, and
/// ten-crop when asked). A run stopped by <see cref="PretrainOptions.SessionEpochs"/> has <see cref="Paused"/> set,
/// no test numbers and no model file yet.
/// </summary>
public sealed record PretrainResult(double TestAccuracy, double TestUar, ConfusionMatrix? Confusion, TrainingResult? Training, string ModelPath,
    double? TenCropAccuracy = null, double? TenCropUar = null, int? Paused = null);
