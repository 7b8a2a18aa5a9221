namespace Aver.Tensors.Tests;

/// <summary>
/// Finite-difference checks for the sequence layers. Their float32 forward passes over many
/// outputs put a noise floor of about 1e-5..1e-4 on central differences (and LayerNorm's
/// curvature adds truncation error at larger steps), so a purely relative bound fails on the
/// smallest gradients; a wrong gradient term shows as errors near the gradients' own size
/// (0.01..1). Exactness is checked separately against PyTorch at rtol 1e-4.
/// </summary>
internal static class SequenceGradientCheck
{
    public static void Assert(Func<Tensor[], Tensor> f, double maxAbs, double maxRel, params Tensor[] inputs)
    {
        var r = GradientCheck.Check(f, inputs);
        Xunit.Assert.True(r.Checked > 0, "no element was checked");
        Xunit.Assert.True(r.MaxAbsError < maxAbs && r.MaxRelError < maxRel, r.ToString());
    }
}
