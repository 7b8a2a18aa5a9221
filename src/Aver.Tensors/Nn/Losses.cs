namespace Aver.Tensors.Nn;

/// <summary>
/// nn.CrossEntropyLoss: logits [N, C] and class targets [N] -> loss ([] or [N] for
/// <see cref="Reduction.None"/>). The optional class <c>weight</c> [C] is a buffer, as in PyTorch.
/// See <see cref="Losses.CrossEntropy(Tensor, ReadOnlySpan{int}, Tensor?, float, Reduction, int)"/>.
/// </summary>
public sealed class CrossEntropyLoss : Module
{
    public Tensor? Weight { get; }
    public float LabelSmoothing { get; }
    public Reduction Reduction { get; }
    public int IgnoreIndex { get; }

    public CrossEntropyLoss(Tensor? weight = null, float labelSmoothing = 0f, Reduction reduction = Reduction.Mean, int ignoreIndex = Losses.IgnoreIndex)
    {
        if (weight is not null) Weight = RegisterBuffer("weight", weight);
        LabelSmoothing = labelSmoothing;
        Reduction = reduction;
        IgnoreIndex = ignoreIndex;
    }

    public Tensor Forward(Tensor logits, ReadOnlySpan<int> targets) => Losses.CrossEntropy(logits, targets, Weight, LabelSmoothing, Reduction, IgnoreIndex);
    public Tensor Forward(Tensor logits, Tensor targets) => Losses.CrossEntropy(logits, targets, Weight, LabelSmoothing, Reduction, IgnoreIndex);
}

/// <summary>nn.NLLLoss on log-probabilities [N, C] with class targets [N].</summary>
public sealed class NLLLoss : Module
{
    public Tensor? Weight { get; }
    public Reduction Reduction { get; }
    public int IgnoreIndex { get; }

    public NLLLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, int ignoreIndex = Losses.IgnoreIndex)
    {
        if (weight is not null) Weight = RegisterBuffer("weight", weight);
        Reduction = reduction;
        IgnoreIndex = ignoreIndex;
    }

    public Tensor Forward(Tensor logProbs, ReadOnlySpan<int> targets) => Losses.NllLoss(logProbs, targets, Weight, Reduction, IgnoreIndex);
    public Tensor Forward(Tensor logProbs, Tensor targets) => Losses.NllLoss(logProbs, targets, Weight, Reduction, IgnoreIndex);
}

/// <summary>nn.BCEWithLogitsLoss: logits and targets of one shape; optional <c>pos_weight</c> buffer over the last axis.</summary>
public sealed class BCEWithLogitsLoss : Module
{
    public Tensor? PosWeight { get; }
    public Reduction Reduction { get; }

    public BCEWithLogitsLoss(Tensor? posWeight = null, Reduction reduction = Reduction.Mean)
    {
        if (posWeight is not null) PosWeight = RegisterBuffer("pos_weight", posWeight);
        Reduction = reduction;
    }

    public Tensor Forward(Tensor logits, Tensor targets) => Losses.BinaryCrossEntropyWithLogits(logits, targets, PosWeight, Reduction);
}

/// <summary>nn.MSELoss: mean (or sum, or elementwise) squared error of equally shaped tensors.</summary>
public sealed class MSELoss(Reduction reduction = Reduction.Mean) : Module
{
    public Reduction Reduction { get; } = reduction;
    public Tensor Forward(Tensor input, Tensor target) => Losses.Mse(input, target, Reduction);
}
