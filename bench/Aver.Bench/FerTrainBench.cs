using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Tensors.Optim;

namespace Aver.Bench;

/// <summary>
/// One training step of the FER2013 recipe's network (`aver pretrain --width 32 --stem small --optimizer sgd`, issue 16):
/// ResNet-18 at width 32 with the 3x3 stride-1 stem and no max pool, a batch of 64 grey 48x48 faces, 7 classes,
/// SGD with Nesterov momentum 0.9 (lr 0.05, weight decay 5e-4), cross-entropy. The long FER runs spend their time here.
/// </summary>
internal static class FerTrainBench
{
    public const int Batch = 64;

    public static Action Setup()
    {
        var rng = new RandomStream(0);
        var model = new ResNet18(new ResNetConfig(InChannels: 1, Width: 32, Classes: 7, Stem: ResNetStem.Small), rng.Fork("model"));
        var optimizer = new Sgd(model.Parameters(), learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4, nesterov: true);
        return ClassifierStep.Of(model, optimizer, Tensor.Normal(rng.Fork("x"), 0f, 1f, Batch, 1, 48, 48), 7, rng.Fork("y"));
    }
}
