using Aver.Tensors;

namespace Aver.Tensors.Tests;

/// <summary>Random tensors for tests, each from its own seed.</summary>
internal static class TestData
{
    public static Tensor Rand(ulong seed, params int[] shape) => Tensor.Uniform(new RandomStream(seed), -1f, 1f, shape).RequireGrad();

    public static void AssertGradients(Func<Tensor[], Tensor> f, params Tensor[] inputs) => AssertGradients(f, 2e-2, inputs);

    public static void AssertGradients(Func<Tensor[], Tensor> f, double tolerance, params Tensor[] inputs)
    {
        var r = GradientCheck.Check(f, inputs);
        Assert.True(r.Checked > 0, "no element was checked");
        Assert.True(r.MaxRelError < tolerance, r.ToString());
    }
}
