using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Tensors.Optim;

namespace Aver.Bench;

/// <summary>The training benches' step: zero the gradients, cross-entropy of the batch against fixed labels, backward, optimiser step.</summary>
internal static class ClassifierStep
{
    /// <summary>A step over <paramref name="x"/> with labels drawn once from <paramref name="rng"/> over <paramref name="classes"/>.</summary>
    public static Action Of(Module model, Optimizer optimizer, Tensor x, int classes, RandomStream rng)
    {
        model.Train();
        var targets = new int[x.Dim(0)];
        for (int i = 0; i < targets.Length; i++) targets[i] = rng.NextInt(classes);
        return () =>
        {
            optimizer.ZeroGrad();
            Losses.CrossEntropy(model.Forward(x), targets).Backward();
            optimizer.Step();
        };
    }
}
