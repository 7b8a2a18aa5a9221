using Aver.Tensors.IO;

namespace Aver.Tensors.Tests;

/// <summary>Shared pieces of the optimiser and schedule tests: the PyTorch fixture and fixed gradients.</summary>
internal static class OptimTestSupport
{
    private static readonly Lazy<SafeTensorsFile> Reference = new(() => Fixture.Load("tensors/optim.safetensors"));

    /// <summary>A tensor from tests/fixtures/tensors/optim.safetensors (written by tools/reference/optim.py).</summary>
    public static Tensor Ref(string name) =>
        Reference.Value.Tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"optim.safetensors lacks '{name}'");

    /// <summary>Gives <paramref name="p"/> exactly the gradient <paramref name="g"/> through the public autograd path: d/dp sum(p ⊙ g) = g.</summary>
    public static void SetGrad(Tensor p, Tensor g)
    {
        p.ZeroGrad();
        (p * g.Detach()).Sum().Backward();
    }
}
