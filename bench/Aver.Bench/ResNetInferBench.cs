using Aver.Models.ResNet;
using Aver.Tensors;

namespace Aver.Bench;

/// <summary>ResNet-18 inference: eval mode, no gradients, batch 32 of 3x112x112, 8 classes.</summary>
internal static class ResNetInferBench
{
    public const int Batch = 32;

    public static Action Setup()
    {
        var rng = new RandomStream(0);
        var model = new ResNet18(new ResNetConfig(Classes: 8), rng.Fork("model"));
        model.Eval();
        var x = Tensor.Normal(rng.Fork("x"), 0f, 1f, Batch, 3, 112, 112);
        return () =>
        {
            using var _ = GradMode.NoGrad();
            model.Forward(x);
        };
    }
}
