using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Tensors.Optim;

namespace Aver.Bench;

/// <summary>One ResNet-18 training step: AdamW (lr 1e-4), batch 16 of 3x112x112, 8 classes, cross-entropy.</summary>
internal static class ResNetTrainBench
{
    public const int Batch = 16;

    public static Action Setup()
    {
        var rng = new RandomStream(0);
        var model = new ResNet18(new ResNetConfig(Classes: 8), rng.Fork("model"));
        var optimizer = new AdamW(model.Parameters(), learningRate: 1e-4);
        return ClassifierStep.Of(model, optimizer, Tensor.Normal(rng.Fork("x"), 0f, 1f, Batch, 3, 112, 112), 8, rng.Fork("y"));
    }
}
