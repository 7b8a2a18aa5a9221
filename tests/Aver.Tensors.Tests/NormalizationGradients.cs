namespace Aver.Tensors.Tests;

/// <summary>
/// Finite-difference checks for normalising ops. Their outputs are invariant to the input's
/// scale, so some true gradients are near zero and a relative error would judge float32
/// finite-difference error (about 1e-4 here, gradients about 0.5); they are judged absolutely.
/// </summary>
internal static class NormalizationGradients
{
    public static void Assert(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var r = GradientCheck.Check(f, inputs);
        Xunit.Assert.True(r.Checked > 0, "no element was checked");
        Xunit.Assert.True(r.MaxAbsError < 2e-4, r.ToString());
    }
}
