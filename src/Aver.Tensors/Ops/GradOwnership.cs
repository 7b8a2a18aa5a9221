namespace Aver.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// Like <see cref="AccumulateGrad"/> for a freshly allocated gradient array that nothing
    /// else holds: on first use it becomes <see cref="Grad"/> itself instead of being copied,
    /// which saves one full pass and allocation on large activations.
    /// </summary>
    internal void AccumulateOwnedGrad(float[] g)
    {
        if (Grad is null && g.Length == Size) { Grad = g; return; }
        AccumulateGrad(g);
    }

    /// <summary>
    /// Hands this op result's gradient over to its backward closure, to be written in place and
    /// passed on (with <see cref="AccumulateOwnedGrad"/>) as one input's gradient: Backward drops
    /// a result's gradient as soon as its closure has run, so nothing else reads the array.
    /// Saves an allocation and a pass over memory per elementwise op on large activations.
    /// </summary>
    internal float[] ReleaseGrad()
    {
        var g = Grad ?? throw new InvalidOperationException($"ReleaseGrad: {Describe()} has no gradient");
        Grad = null;
        return g;
    }
}
