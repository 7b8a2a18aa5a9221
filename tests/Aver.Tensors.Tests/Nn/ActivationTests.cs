using Aver.Tensors.Nn;

namespace Aver.Tensors.Tests.Nn;

using static TestData;

public class ActivationTests
{
    private static readonly LayersReference Ref = new("layers_activations.safetensors");

    [Theory]
    [InlineData("gelu")] [InlineData("gelu_tanh")] [InlineData("elu")] [InlineData("leaky")]
    public void MatchesTorch(string name)
    {
        Module m = name switch
        {
            "gelu" => new GELU(),
            "gelu_tanh" => new GELU(tanhApproximation: true),
            "elu" => new ELU(0.7f),
            _ => new LeakyReLU(0.2f),
        };
        var x = Ref.Leaf($"{name}.x");
        var y = m.Forward(x);
        Ref.AssertClose($"{name}.y", y, 1e-5f, 1e-6f);
        Ref.Backward(y, $"{name}.gy");
        Ref.AssertGrad($"{name}.dx", x, 1e-5f, 1e-5f);
    }

    [Theory]
    [InlineData("prelu_channels")] [InlineData("prelu_shared")]
    public void PreluMatchesTorch(string name)
    {
        var x = Ref.Leaf($"{name}.x"); var w = Ref.Leaf($"{name}.weight");
        var y = x.Prelu(w);
        Ref.AssertClose($"{name}.y", y);
        Ref.Backward(y, $"{name}.gy");
        Ref.AssertGrad($"{name}.dx", x);
        Ref.AssertGrad($"{name}.dweight", w);
    }

    /// <summary>Values in ±[0.2, 1], away from the kink at 0 where finite differences straddle two slopes.</summary>
    internal static Tensor RandOffKink(ulong seed, params int[] shape)
    {
        var t = Rand(seed, shape);
        for (int i = 0; i < t.Size; i++) t.Data[i] = MathF.CopySign(0.2f + 0.8f * MathF.Abs(t.Data[i]), t.Data[i]);
        return t;
    }

    [Fact] public void GeluGradients() => AssertGradients(x => x[0].Gelu(), Rand(1, 4, 5));
    [Fact] public void GeluTanhGradients() => AssertGradients(x => x[0].Gelu(true), Rand(1, 4, 5));
    [Fact] public void EluGradients() => AssertGradients(x => x[0].Elu(0.5f), RandOffKink(1, 4, 5));
    [Fact] public void LeakyGradients() => AssertGradients(x => x[0].LeakyRelu(0.1f), RandOffKink(1, 4, 5));
    [Fact] public void PreluGradients() => AssertGradients(x => x[0].Prelu(x[1]), RandOffKink(1, 2, 3, 4), Rand(2, 3));

    [Fact]
    public void PreluModuleDefaults()
    {
        var m = new PReLU(3);
        Assert.Equal("weight", m.StateDict().Single().Key);
        Assert.All(m.Weight.Data, v => Assert.Equal(0.25f, v));
        var e = Assert.Throws<ShapeException>(() => m.Forward(Tensor.Zeros(2, 4)));
        Assert.Contains("[2, 4]", e.Message);
    }

    [Fact]
    public void ErfIsAccurate()
    {
        Assert.Equal(0.5204998778130465, Aver.Tensors.Kernels.SpecialFunctions.Erf(0.5), 1e-14);
        Assert.Equal(-0.9953222650189527, Aver.Tensors.Kernels.SpecialFunctions.Erf(-2), 1e-14);
        Assert.Equal(0.0, Aver.Tensors.Kernels.SpecialFunctions.Erf(0), 1e-15);
    }
}

public class GeluAccuracyTests
{
    [Fact]
    public void VectorisedGeluAgreesWithDoubleErfOverLongInputs()
    {
        // longer than one parallel block, so every block boundary is crossed
        var x = Tensor.Uniform(new RandomStream(4), -8f, 8f, 40000).RequireGrad();
        var y = x.Gelu();
        y.Sum().Backward();
        for (int i = 0; i < x.Size; i++)
        {
            double v = x.Data[i];
            double cdf = 0.5 * (1 + Aver.Tensors.Kernels.SpecialFunctions.Erf(v / Math.Sqrt(2)));
            Assert.True(Math.Abs(y.Data[i] - v * cdf) < 2e-6, $"gelu({v}) = {y.Data[i]}, expected {v * cdf}");
            double grad = cdf + v * Math.Exp(-0.5 * v * v) / Math.Sqrt(2 * Math.PI);
            Assert.True(Math.Abs(x.Grad![i] - grad) < 2e-6, $"gelu'({v}) = {x.Grad[i]}, expected {grad}");
        }
    }
}
