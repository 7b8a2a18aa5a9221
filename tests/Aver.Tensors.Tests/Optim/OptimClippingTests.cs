using Aver.Tensors.Optim;
using static Aver.Tensors.Tests.OptimTestSupport;

namespace Aver.Tensors.Tests.Optim;

/// <summary>GradientClipping.ClipGradNorm matches torch.nn.utils.clip_grad_norm_.</summary>
public class OptimClippingTests
{
    private static Tensor[] WithReferenceGradients()
    {
        var ps = new Tensor[3];
        for (int i = 0; i < 3; i++)
        {
            var g = Ref($"clip.grad.{i}");
            ps[i] = Tensor.Zeros(g.Shape.ToArray()).RequireGrad();
            SetGrad(ps[i], g);
        }
        return ps;
    }

    [Theory]
    [InlineData("l2", 1.0, 2.0)]
    [InlineData("inf", 0.5, double.PositiveInfinity)]
    [InlineData("l1_noclip", 100.0, 1.0)]
    [InlineData("l3", 0.7, 3.0)]
    public void MatchesPyTorch(string tag, double maxNorm, double normType)
    {
        var ps = WithReferenceGradients();
        float total = GradientClipping.ClipGradNorm(ps, maxNorm, normType);
        Assert.Equal(Ref($"clip.{tag}.total").Item(), total, 1e-5f * Math.Max(1f, total));
        for (int i = 0; i < ps.Length; i++)
            Fixture.AssertClose(Ref($"clip.{tag}.{i}"), ps[i].GradTensor(), $"clip {tag} grad {i}", rtol: 1e-5f, atol: 1e-6f);
    }

    [Fact]
    public void ClippedGradientsHaveTheMaximumNorm()
    {
        var ps = WithReferenceGradients();
        GradientClipping.ClipGradNorm(ps, 1.0);
        double sq = ps.Sum(p => p.Grad!.Sum(g => (double)g * g));
        Assert.Equal(1.0, Math.Sqrt(sq), 4);
    }

    [Fact]
    public void ParametersWithoutGradientAreIgnored()
    {
        var a = Tensor.Zeros(2).RequireGrad();
        SetGrad(a, Tensor.FromArray([3f, 4f], 2));
        var none = Tensor.Zeros(5).RequireGrad();
        Assert.Equal(5f, GradientClipping.ClipGradNorm([a, none], 10));
        Assert.Null(none.Grad);
        Assert.Equal(0f, GradientClipping.ClipGradNorm([none], 1));
    }

    [Fact]
    public void NonFiniteNormThrowsWhenAsked()
    {
        var a = Tensor.Zeros(2).RequireGrad();
        SetGrad(a, Tensor.FromArray([float.NaN, 1f], 2));
        Assert.Throws<ArithmeticException>(() => GradientClipping.ClipGradNorm([a], 1, errorIfNonfinite: true));
    }
}
