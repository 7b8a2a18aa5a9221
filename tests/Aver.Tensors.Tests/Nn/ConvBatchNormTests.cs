using Aver.Tensors.Kernels;
using Aver.Tensors.Nn;

namespace Aver.Tensors.Tests.Nn;

/// <summary>
/// ConvBatchNorm: in inference the batch norm, the residual sum and ReLU run inside the convolution's kernel, with the
/// same bits as the separate ops, on every convolution path (Winograd, im2col by sample, by batched samples, through
/// phase planes, 1x1, depthwise) and every vector path; in training it is the separate ops, gradients included.
/// </summary>
public sealed class ConvBatchNormTests
{
    private static (Conv2d Conv, BatchNorm2d Bn) Layer(int c, int cout, int k, int stride, int groups, bool bias, int seed)
    {
        var rng = new RandomStream((ulong)seed);
        var conv = new Conv2d(c, cout, k, stride: stride, padding: k / 2, groups: groups, bias: bias, rng: rng);
        var bn = new BatchNorm2d(cout);
        // Statistics and affine parameters far from their initial values, so that every term of the batch norm counts.
        Tensor.Normal(rng, 0f, 0.5f, cout).Data.CopyTo(bn.RunningMean!.Data, 0);
        Tensor.Uniform(rng, 0.2f, 3f, cout).Data.CopyTo(bn.RunningVar!.Data, 0);
        Tensor.Uniform(rng, 0.5f, 2f, cout).Data.CopyTo(bn.Weight!.Data, 0);
        Tensor.Normal(rng, 0f, 0.5f, cout).Data.CopyTo(bn.Bias!.Data, 0);
        bn.Eval();
        return (conv, bn);
    }

    public static TheoryData<int, int, int, int, int, int, int, bool> Shapes => new()
    {
        // n, c, size, cout, kernel, stride, groups, conv bias
        { 2, 16, 14, 16, 3, 1, 1, false },  // Winograd, 4x4 tiles whole
        { 3, 8, 7, 16, 3, 1, 1, true },     // Winograd, partial edge tiles, a conv bias before the batch norm
        { 2, 8, 28, 16, 3, 2, 1, false },   // im2col through phase planes, sample by sample
        { 5, 16, 7, 32, 3, 2, 1, false },   // im2col, samples batched side by side (small outputs)
        { 4, 8, 14, 16, 1, 2, 1, false },   // ResNet's 1x1 stride-2 downsample
        { 2, 3, 23, 8, 7, 2, 1, false },    // ResNet's stem (7x7/2), odd size
        { 2, 8, 9, 8, 3, 1, 8, true },      // depthwise
        { 2, 6, 9, 10, 3, 1, 1, false },    // channels not a multiple of 8: im2col at unit stride
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void InferenceGivesTheSeparateOpsBitsOnEveryPath(int n, int c, int size, int cout, int k, int stride, int groups, bool bias)
    {
        var (conv, bn) = Layer(c, cout, k, stride, groups, bias, seed: n * 100 + c);
        var rng = new RandomStream(7);
        var x = Tensor.Normal(rng, 0f, 1f, n, c, size, size);
        Tensor y;
        using (GradMode.NoGrad()) y = conv.Forward(x);
        var residual = Tensor.Normal(rng, 0f, 1f, y.Shape.ToArray());
        IsaPath was = Engine.Isa;
        try
        {
            foreach (var isa in new[] { IsaPath.Scalar, IsaPath.Avx2, IsaPath.Avx512 })
            {
                if (isa > CpuFeatures.Supported) continue;
                Engine.Isa = isa;
                using var _ = GradMode.NoGrad();
                Assert.Equal(bn.Forward(conv.Forward(x)).Data, ConvBatchNorm.Forward(conv, bn, x).Data);
                Assert.Equal(bn.ForwardRelu(conv.Forward(x)).Data, ConvBatchNorm.ForwardRelu(conv, bn, x).Data);
                Assert.Equal(bn.ForwardAddRelu(conv.Forward(x), residual).Data, ConvBatchNorm.ForwardAddRelu(conv, bn, x, residual).Data);
            }
        }
        finally { Engine.Isa = was; }
    }

    [Fact]
    public void WinogradOnSmallOutputsAlsoGivesTheSameBits()
    {
        // The 4x4 stage (one tile per image), which the CPU's policy may give to im2col: forced through Winograd here.
        var (conv, bn) = Layer(16, 16, 3, 1, 1, false, seed: 3);
        var x = Tensor.Normal(new RandomStream(8), 0f, 1f, 3, 16, 4, 4);
        Winograd.OnSmallOutputs = true;
        try
        {
            using var _ = GradMode.NoGrad();
            Assert.Equal(bn.ForwardRelu(conv.Forward(x)).Data, ConvBatchNorm.ForwardRelu(conv, bn, x).Data);
        }
        finally { Winograd.OnSmallOutputs = false; }
    }

    [Fact]
    public void TrainingRunsTheSeparateOpsAndTheirGradients()
    {
        var (conv, bn) = Layer(8, 8, 3, 1, 1, false, seed: 5);
        bn.Train();
        var rng = new RandomStream(9);
        var x = Tensor.Normal(rng, 0f, 1f, 2, 8, 6, 6);
        var residual = Tensor.Normal(rng, 0f, 1f, 2, 8, 6, 6);
        var mean = (float[])bn.RunningMean!.Data.Clone();
        x.RequiresGrad = true;
        ConvBatchNorm.ForwardAddRelu(conv, bn, x, residual).Sum().Backward();
        var gx = (float[])x.Grad!.Clone();
        var gw = (float[])conv.Weight.Grad!.Clone();
        Assert.NotEqual(mean, bn.RunningMean.Data); // the batch statistics moved the running ones

        var (conv2, bn2) = Layer(8, 8, 3, 1, 1, false, seed: 5);
        bn2.Train();
        var x2 = Tensor.Normal(new RandomStream(9), 0f, 1f, 2, 8, 6, 6);
        x2.RequiresGrad = true;
        bn2.ForwardAddRelu(conv2.Forward(x2), residual).Sum().Backward();
        Assert.Equal(x2.Grad!, gx);
        Assert.Equal(conv2.Weight.Grad!, gw);
    }

    [Fact]
    public void AResidualOfAnotherShapeIsRefused()
    {
        var (conv, bn) = Layer(8, 8, 3, 1, 1, false, seed: 6);
        var x = Tensor.Normal(new RandomStream(1), 0f, 1f, 2, 8, 6, 6);
        using var _ = GradMode.NoGrad();
        var e = Assert.Throws<ShapeException>(() => ConvBatchNorm.ForwardAddRelu(conv, bn, x, Tensor.Zeros(2, 8, 6, 5)));
        Assert.Contains("residual", e.Message);
    }
}
