namespace Aver.Tensors.Optim;

/// <summary>
/// A set of parameters that share a learning rate and weight decay (PyTorch's param_groups).
/// Null hyper-parameters take the optimiser's defaults when the group is added.
/// </summary>
public sealed class ParamGroup
{
    public ParamGroup(IEnumerable<Tensor> parameters, double? learningRate = null, double? weightDecay = null)
    {
        Parameters = parameters.ToList();
        LearningRate = learningRate ?? double.NaN;
        WeightDecay = weightDecay ?? double.NaN;
    }

    /// <summary>The tensors this group updates; frozen ones (RequiresGrad false) and ones without a gradient are skipped.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The current learning rate; schedules change it.</summary>
    public double LearningRate { get; set; }

    /// <summary>The learning rate the group started with, which schedules scale (PyTorch's <c>initial_lr</c>); set by the first schedule attached.</summary>
    public double? InitialLearningRate { get; internal set; }

    /// <summary>Weight decay: an L2 term in the gradient (SGD, Adam) or decoupled shrinkage (AdamW).</summary>
    public double WeightDecay { get; set; }
}
