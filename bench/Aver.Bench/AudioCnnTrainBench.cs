using Aver.Models.AudioCnn;
using Aver.Tensors;
using Aver.Tensors.Optim;

namespace Aver.Bench;

/// <summary>
/// One training step of the tuned audio recipe's network (configs/ravdess-audio-cnn-tuned.yaml): the log-mel CNN of
/// 32-64-128-256 channels on a batch of 32 crops of 64 mels x 301 frames, 8 classes, AdamW (lr 1e-3, weight decay
/// 1e-2), cross-entropy. The issue-15 ablations spend nearly all their time here.
/// </summary>
internal static class AudioCnnTrainBench
{
    public const int Batch = 32;

    public static Action Setup()
    {
        var rng = new RandomStream(0);
        var model = new AudioCnnArchitecture([32, 64, 128, 256]).Build(8, rng.Fork("model"));
        var optimizer = new AdamW(model.Parameters(), learningRate: 1e-3, weightDecay: 1e-2);
        return ClassifierStep.Of(model, optimizer, Tensor.Normal(rng.Fork("x"), 0f, 1f, Batch, 1, 64, 301), 8, rng.Fork("y"));
    }
}
