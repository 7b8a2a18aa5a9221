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
}
