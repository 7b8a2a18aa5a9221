using Aver.Tensors.Optim;
using Aver.Tensors.Optim.Schedules;

namespace Aver.Training.Training;

/// <summary>The optimiser of a run.</summary>
public enum OptimizerKind
{
    /// <summary>AdamW with decoupled weight decay (MRPN §5.2).</summary>
    AdamW,
    /// <summary>SGD with Nesterov momentum and L2 weight decay (Sutskever et al. 2013; the FER ResNet recipes).</summary>
    SgdNesterov,
}

/// <summary>The learning-rate schedule of a run.</summary>
public enum ScheduleKind
{
    /// <summary>ReduceLROnPlateau on the validation loss (MRPN §5.2).</summary>
    Plateau,
    /// <summary>Linear warm-up, then cosine annealing to zero over the epoch limit (<see cref="WarmupCosineLR"/>).</summary>
    Cosine,
}

/// <summary>Which validation number picks the weights kept at the end and drives early stopping.</summary>
public enum BestBy
{
    ValidationLoss,
    ValidationAccuracy,
    /// <summary>Validation accuracy, ties broken by the lower validation loss (the PyTorch peers' <c>(acc, -loss)</c> comparison).</summary>
    ValidationAccuracyThenLoss,
}

/// <summary>
/// Hyper-parameters of one training run. The defaults are MRPN §5.2: AdamW from 5e-5, the rate halved
/// when the validation loss has not dropped for 10 epochs, at most twice; early stopping on the
/// validation speakers.
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>Upper bound on epochs (early stopping may end sooner).</summary>
    public int Epochs { get; init; } = 100;
    public int BatchSize { get; init; } = 16;
    /// <summary>Batch size for validation and test passes (no gradients); defaults to <see cref="BatchSize"/>.</summary>
    public int? EvalBatchSize { get; init; }
    public double LearningRate { get; init; } = 5e-5;
    /// <summary>AdamW's decoupled weight decay (PyTorch's default 0.01), or SGD's L2 coefficient.</summary>
    public double WeightDecay { get; init; } = 0.01;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.AdamW;
    /// <summary>SGD's momentum (with <see cref="OptimizerKind.SgdNesterov"/>).</summary>
    public double Momentum { get; init; } = 0.9;
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Plateau;
    /// <summary>Epochs of linear warm-up before the cosine schedule.</summary>
    public int WarmupEpochs { get; init; }
    /// <summary>ReduceLROnPlateau factor (MRPN: "decreased", Aver halves).</summary>
    public double PlateauFactor { get; init; } = 0.5;
    /// <summary>Epochs without a validation-loss drop before the rate is reduced (MRPN: ten).</summary>
    public int PlateauPatience { get; init; } = 10;
    /// <summary>Cap on reductions (MRPN: two); null for none.</summary>
    public int? MaxReductions { get; init; } = 2;
    /// <summary>Stop after this many epochs without a better validation metric; null never stops early.</summary>
    public int? EarlyStoppingPatience { get; init; } = 25;
    public BestBy BestBy { get; init; } = BestBy.ValidationLoss;
    /// <summary>Clip the gradients' joint 2-norm to this value; null does not clip.</summary>
    public double? ClipGradNorm { get; init; }
    /// <summary>Kernel threads (<see cref="Aver.Tensors.Engine.Threads"/>) during the run; null leaves it.</summary>
    public int? Threads { get; init; }
    /// <summary>The run's seed: shuffling, augmentation and dropout streams are forked from it per epoch.</summary>
    public ulong Seed { get; init; }
    /// <summary>Whether the training batches are augmented (MRPN's T versus NT).</summary>
    public bool Augment { get; init; } = true;
    /// <summary>
    /// Decay of an exponential moving average of the weights (<see cref="WeightAverage"/>), which is then what is
    /// validated, selected and kept; null trains without one.
    /// </summary>
    public double? EmaDecay { get; init; }
    /// <summary>
    /// Stochastic weight averaging: the last this-many epochs' end-of-epoch weights averaged uniformly
    /// (<see cref="WeightAverage.Uniform"/>); within them the average is what is validated, selected and kept. Null
    /// averages nothing; more than <see cref="Epochs"/> (a shortened run) averages them all.
    /// </summary>
    public int? SwaEpochs { get; init; }

    /// <summary>
    /// With <see cref="SwaEpochs"/> and the cosine schedule: the rate the cosine anneals to by the first averaged epoch and
    /// holds through the averaged ones (PyTorch's <c>SWALR</c> after <c>CosineAnnealingLR</c>; Izmailov et al. 2018 §3.2),
    /// so the averaged weights still move; null anneals to zero over all the epochs.
    /// </summary>
    public double? SwaLr { get; init; }

    /// <summary>
    /// With <see cref="SwaEpochs"/>: after each averaged epoch, measure the batch-norm statistics of the averaged weights
    /// afresh by a forward pass over that epoch's training batches (Izmailov et al. 2018 §3.2; PyTorch's
    /// <c>swa_utils.update_bn</c>) instead of averaging the live ones; costs about a third of an epoch each time.
    /// </summary>
    public bool SwaUpdateBatchNorm { get; init; }

    /// <summary>The first epoch the uniform weight average takes in (<see cref="SwaEpochs"/>); null without one.</summary>
    public int? SwaFromEpoch() => SwaEpochs is int swa ? Math.Max(1, Epochs - swa + 1) : null;

    /// <summary>Whether the cosine has an epoch after its warm-up to anneal to <see cref="SwaLr"/> in before the averaged epochs.</summary>
    public bool AnnealsBeforeSwa() => SwaFromEpoch() - 1 > WarmupEpochs;

    /// <summary>
    /// Networks trained per fold of a cross-validation, each from its own seed, tested (and validated) by their mean
    /// probability (<see cref="CrossValidation{TInput}"/>); 1 trains one.
    /// </summary>
    public int Ensemble { get; init; } = 1;

    /// <summary>Throws naming the first invalid option.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "TrainerOptions: epochs must be at least 1");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "TrainerOptions: batch size must be at least 1");
        if (EvalBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(EvalBatchSize), EvalBatchSize, "TrainerOptions: evaluation batch size must be at least 1");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "TrainerOptions: learning rate must be positive");
        if (EarlyStoppingPatience < 1) throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "TrainerOptions: early-stopping patience must be at least 1");
        if (ClipGradNorm <= 0) throw new ArgumentOutOfRangeException(nameof(ClipGradNorm), ClipGradNorm, "TrainerOptions: gradient clipping norm must be positive");
        if (!(Momentum is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "TrainerOptions: momentum must be in (0, 1)");
        if (WarmupEpochs < 0 || (Schedule == ScheduleKind.Cosine && WarmupEpochs >= Epochs))
            throw new ArgumentOutOfRangeException(nameof(WarmupEpochs), WarmupEpochs, "TrainerOptions: warm-up epochs must be non-negative and fewer than the epochs");
        if (Threads < 1) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "TrainerOptions: threads must be at least 1");
        if (EmaDecay is double d && !(d is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(EmaDecay), EmaDecay, "TrainerOptions: the weight average's decay must be in (0, 1)");
        if (SwaEpochs < 1) throw new ArgumentOutOfRangeException(nameof(SwaEpochs), SwaEpochs, "TrainerOptions: weight averaging takes at least one epoch");
        if (SwaLr is double swaLr && (!(swaLr > 0) || SwaEpochs is null || Schedule != ScheduleKind.Cosine || !AnnealsBeforeSwa()))
            throw new ArgumentOutOfRangeException(nameof(SwaLr), SwaLr, "TrainerOptions: an SWA rate is positive and needs SwaEpochs, the cosine schedule, and warm-up epochs before the averaged ones");
        if (SwaUpdateBatchNorm && SwaEpochs is null) throw new ArgumentException("TrainerOptions: SwaUpdateBatchNorm re-measures the SWA average's batch-norm statistics and needs SwaEpochs");
        if (SwaEpochs is not null && EmaDecay is not null) throw new ArgumentException("TrainerOptions: keep either an exponential (EmaDecay) or a uniform (SwaEpochs) weight average, not both");
        if (Ensemble < 1) throw new ArgumentOutOfRangeException(nameof(Ensemble), Ensemble, "TrainerOptions: an ensemble has at least one network");
    }

    /// <summary>The optimiser of the run over <paramref name="parameters"/>.</summary>
    public Optimizer CreateOptimizer(IEnumerable<Aver.Tensors.Tensor> parameters) => Optimizer switch
    {
        OptimizerKind.SgdNesterov => new Sgd(parameters, LearningRate, Momentum, weightDecay: WeightDecay, nesterov: true),
        _ => new AdamW(parameters, LearningRate, weightDecay: WeightDecay),
    };

    /// <summary>The schedule of the run: the plateau schedule (mode min on the validation loss, MRPN §5.2) or warm-up + cosine.</summary>
    public LRSchedule CreateSchedule(Optimizer optimizer) => Schedule switch
    {
        // With an SWA rate the cosine ends at it on the first averaged epoch and stays there (its progress stops at 1).
        ScheduleKind.Cosine => SwaLr is double swaLr ? new WarmupCosineLR(optimizer, SwaFromEpoch()!.Value - 1, WarmupEpochs, swaLr)
            : new WarmupCosineLR(optimizer, Epochs, WarmupEpochs),
        _ => new ReduceLROnPlateau(optimizer, PlateauMode.Min, PlateauFactor, PlateauPatience, maxReductions: MaxReductions),
    };

    /// <summary>The run's recipe in one sentence, as reports print it.</summary>
    public string Describe()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string optimizer = Optimizer == OptimizerKind.SgdNesterov
            ? string.Create(inv, $"SGD with Nesterov momentum {Momentum}, learning rate {LearningRate}, weight decay {WeightDecay}")
            : string.Create(inv, $"AdamW, learning rate {LearningRate}, weight decay {WeightDecay}");
        string schedule = Schedule == ScheduleKind.Cosine
            ? (WarmupEpochs > 0 ? $"{WarmupEpochs} warm-up epochs then cosine" : "cosine")
              + (SwaLr is double swaLr && SwaFromEpoch() is int first ? string.Create(inv, $" to {swaLr} by epoch {first}, held there") : " to zero")
            : string.Create(inv, $"the rate times {PlateauFactor} after {PlateauPatience} epochs without a lower validation loss{(MaxReductions is int m ? $", at most {m} times" : "")}");
        string kept = BestBy switch
        {
            BestBy.ValidationAccuracy => "validation accuracy",
            BestBy.ValidationAccuracyThenLoss => "validation accuracy, ties to the lower loss",
            _ => "validation loss",
        };
        string average = EmaDecay is double d ? string.Create(inv, $"; an exponential average of the weights (decay {d}) is validated and kept")
            : SwaFromEpoch() is int from ? $"; from epoch {from} the mean of the weights at every epoch's end since (SWA) is validated and kept" +
              (SwaUpdateBatchNorm ? ", its batch-norm statistics measured afresh on the training batches" : "") : "";
        return $"Training: at most {Epochs} epochs{(EarlyStoppingPatience is int p ? $" (stopping after {p} without a better {kept})" : "")}, batch {BatchSize}, {optimizer}, {schedule}" +
            (ClipGradNorm is double c ? string.Create(inv, $", gradients clipped to norm {c}") : "") + $"; the epoch kept by {kept}{average}.";
    }
}
