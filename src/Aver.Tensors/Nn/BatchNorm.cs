namespace Aver.Tensors.Nn;

/// <summary>
/// Batch normalisation over the channel axis of [N, C, *] (PyTorch's _BatchNorm): parameters
/// <c>weight</c> (ones) and <c>bias</c> (zeros); buffers <c>running_mean</c> (zeros),
/// <c>running_var</c> (ones) and <c>num_batches_tracked</c>. Training normalises with the batch
/// statistics and updates the running ones; evaluation uses the running ones.
/// </summary>
/// <remarks>
/// <c>num_batches_tracked</c> is int64 in PyTorch and a float here (shape [], exact up to 2^24
/// batches). Loading a PyTorch file converts it (SafeTensors reads I64 as float), and a file saved
/// by Aver loads back into PyTorch because <c>load_state_dict</c> checks shapes, not dtypes, and
/// copies the float value into the int64 buffer.
/// </remarks>
public abstract class BatchNorm : Module
{
    public int NumFeatures { get; }
    public float Eps { get; }

    /// <summary>
    /// The running-average factor; null means a cumulative average (factor 1 / num_batches_tracked), as in PyTorch.
    /// Settable, as PyTorch's is: SWA's batch-norm update measures the statistics afresh as a cumulative average.
    /// </summary>
    public float? Momentum { get; set; }
    public Tensor? Weight { get; }
    public Tensor? Bias { get; }
    public Tensor? RunningMean { get; }
    public Tensor? RunningVar { get; }
    public Tensor? NumBatchesTracked { get; }

    protected BatchNorm(int numFeatures, float eps, float? momentum, bool affine, bool trackRunningStats)
    {
        if (numFeatures < 1) throw new ArgumentOutOfRangeException(nameof(numFeatures), numFeatures, $"{GetType().Name}: needs at least one feature");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(numFeatures));
            Bias = RegisterParameter("bias", Tensor.Zeros(numFeatures));
        }
        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(numFeatures));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones(numFeatures));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Scalar(0f));
        }
    }

    /// <summary>Ranks this variant accepts (e.g. 4 for BatchNorm2d).</summary>
    protected abstract bool AcceptsRank(int rank);
    protected abstract string ExpectedShape { get; }

    /// <summary>[N, C, *] -> same shape.</summary>
    public override Tensor Forward(Tensor input) => Normalise(input, relu: false, residual: null);

    /// <summary><c>Forward(input).Relu()</c> in one pass over the data (ResNet's conv, batch norm, ReLU).</summary>
    public Tensor ForwardRelu(Tensor input) => Normalise(input, relu: true, residual: null);

    /// <summary><c>(Forward(input) + residual).Relu()</c> in one pass (the end of ResNet's basic block).</summary>
    public Tensor ForwardAddRelu(Tensor input, Tensor residual)
    {
        ArgumentNullException.ThrowIfNull(residual);
        return Normalise(input, relu: true, residual);
    }

    private Tensor Normalise(Tensor input, bool relu, Tensor? residual)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!AcceptsRank(input.Rank) || input.Dim(1) != NumFeatures)
            throw new ShapeException($"{GetType().Name}({NumFeatures}): input {ShapeMath.Format(input.Shape)} is not {ExpectedShape} with C = {NumFeatures}");
        float factor = Momentum ?? 0f;
        if (Training && NumBatchesTracked is not null)
        {
            NumBatchesTracked.Data[0] += 1f;
            if (Momentum is null) factor = 1f / NumBatchesTracked.Data[0];
        }
        // Without running statistics, evaluation also normalises with the batch's own (PyTorch's rule).
        return input.BatchNorm(RunningMean, RunningVar, Weight, Bias, training: Training || RunningMean is null, factor, Eps, relu, residual);
    }

    /// <summary>Resets the running statistics to their initial values.</summary>
    public void ResetRunningStats()
    {
        if (RunningMean is null) return;
        Array.Clear(RunningMean.Data);
        Array.Fill(RunningVar!.Data, 1f);
        NumBatchesTracked!.Data[0] = 0f;
    }
}

/// <summary>nn.BatchNorm1d: input [N, C] or [N, C, L].</summary>
public sealed class BatchNorm1d(int numFeatures, float eps = 1e-5f, float? momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats)
{
    protected override bool AcceptsRank(int rank) => rank is 2 or 3;
    protected override string ExpectedShape => "[N, C] or [N, C, L]";
}

/// <summary>nn.BatchNorm2d: input [N, C, H, W].</summary>
public sealed class BatchNorm2d(int numFeatures, float eps = 1e-5f, float? momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats)
{
    protected override bool AcceptsRank(int rank) => rank == 4;
    protected override string ExpectedShape => "[N, C, H, W]";
}

/// <summary>nn.BatchNorm3d: input [N, C, D, H, W].</summary>
public sealed class BatchNorm3d(int numFeatures, float eps = 1e-5f, float? momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats)
{
    protected override bool AcceptsRank(int rank) => rank == 5;
    protected override string ExpectedShape => "[N, C, D, H, W]";
}
