namespace Aver.Tensors.Nn;

/// <summary>
/// The shared part of <see cref="Conv1d"/>, <see cref="Conv2d"/> and <see cref="Conv3d"/>:
/// PyTorch's parameter names (<c>weight</c> [out, in/groups, k...], <c>bias</c> [out]) and
/// default init (kaiming_uniform with a = sqrt(5), fan_in = in/groups * prod(kernel)).
/// </summary>
public abstract class ConvNd : Module
{
    public int InChannels { get; }
    public int OutChannels { get; }
    public int[] KernelSize { get; }
    public Dims Stride { get; }
    public Dims Padding { get; }
    public Dims Dilation { get; }
    public int Groups { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    private protected ConvNd(string name, int rank, int inChannels, int outChannels, Dims kernelSize,
        Dims stride, Dims padding, Dims dilation, int groups, bool bias, RandomStream? rng)
    {
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"{name}: {inChannels} input and {outChannels} output channels must be divisible by groups = {groups}");
        if (kernelSize.IsDefault) throw new ArgumentException($"{name}: a kernel size is required");
        InChannels = inChannels; OutChannels = outChannels; Groups = groups;
        KernelSize = kernelSize.Expand(rank, 1, 1, name, "kernel")[(3 - rank)..];
        Stride = stride; Padding = padding; Dilation = dilation;

        int fanIn = inChannels / groups;
        foreach (int k in KernelSize) fanIn *= k;
        Weight = RegisterParameter("weight", new Tensor([outChannels, inChannels / groups, .. KernelSize]));
        Init.DefaultWeight(Weight, fanIn, rng);
        if (bias)
        {
            Bias = RegisterParameter("bias", new Tensor(outChannels));
            Init.DefaultWeight(Bias, fanIn, rng);
        }
    }
}

/// <summary>1d convolution: [N, in, L] -> [N, out, Lout] (PyTorch's <c>nn.Conv1d</c>).</summary>
public sealed class Conv1d(int inChannels, int outChannels, Dims kernelSize, Dims stride = default, Dims padding = default,
    Dims dilation = default, int groups = 1, bool bias = true, RandomStream? rng = null)
    : ConvNd("Conv1d", 1, inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, rng)
{
    public override Tensor Forward(Tensor input) => input.Conv1d(Weight, Bias, Stride, Padding, Dilation, Groups);
}

/// <summary>2d convolution: [N, in, H, W] -> [N, out, Hout, Wout] (PyTorch's <c>nn.Conv2d</c>).</summary>
public sealed class Conv2d(int inChannels, int outChannels, Dims kernelSize, Dims stride = default, Dims padding = default,
    Dims dilation = default, int groups = 1, bool bias = true, RandomStream? rng = null)
    : ConvNd("Conv2d", 2, inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, rng)
{
    public override Tensor Forward(Tensor input) => input.Conv2d(Weight, Bias, Stride, Padding, Dilation, Groups);
}

/// <summary>3d convolution: [N, in, D, H, W] -> [N, out, Dout, Hout, Wout] (PyTorch's <c>nn.Conv3d</c>).</summary>
public sealed class Conv3d(int inChannels, int outChannels, Dims kernelSize, Dims stride = default, Dims padding = default,
    Dims dilation = default, int groups = 1, bool bias = true, RandomStream? rng = null)
    : ConvNd("Conv3d", 3, inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, rng)
{
    public override Tensor Forward(Tensor input) => input.Conv3d(Weight, Bias, Stride, Padding, Dilation, Groups);
}
