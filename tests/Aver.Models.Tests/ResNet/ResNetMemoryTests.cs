using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Tensors.Nn;
using Aver.Tensors.Optim;

namespace Aver.Models.Tests.ResNet;

/// <summary>
/// ResNet-18 hands its intermediate results back to <see cref="TensorMemory"/> (poisoned with NaN in the test suites): at
/// once in inference, after the backward pass in training. Repeated passes must give the bits of a run without
/// recycling, as nothing still reads a released array.
/// </summary>
public class ResNetMemoryTests
{
    [Fact]
    public void InferenceGivesTheSameBitsWithAndWithoutRecycling()
    {
        var model = new ResNet18(new ResNetConfig(InChannels: 3, Width: 16, Classes: 7), new RandomStream(9));
        model.Eval();
        var x = Tensor.Normal(new RandomStream(10), 0f, 1f, 8, 3, 128, 128);   // layers 1-3 make arrays of 32,768 floats and more: pooled
        bool before = TensorMemory.Enabled;
        try
        {
            using var _ = GradMode.NoGrad();
            TensorMemory.Enabled = false;
            var expected = model.Forward(x).Data;
            TensorMemory.Enabled = true;
            for (int pass = 0; pass < 3; pass++)
            {
                var actual = model.Forward(x).Data;
                Assert.DoesNotContain(actual, float.IsNaN);
                Assert.Equal(expected, actual);
            }
        }
        finally { TensorMemory.Enabled = before; }
    }

    [Fact]
    public void TrainingStepsGiveTheSameBitsWithAndWithoutRecycling()
    {
        bool before = TensorMemory.Enabled;
        try
        {
            TensorMemory.Enabled = false;
            var expected = Train();
            TensorMemory.Enabled = true;
            // (That the blocks' results go back to the pool at all is TensorMemoryTests' to check: this suite runs its
            // classes in parallel, so the pool's size here is not this test's alone.)
            var actual = Train();
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.DoesNotContain(actual[i], float.IsNaN);
                Assert.Equal(expected[i], actual[i]);
            }
        }
        finally { TensorMemory.Enabled = before; }
    }

    /// <summary>Three SGD steps of a small ResNet-18 (the downsampling blocks included); its parameters afterwards.</summary>
    private static float[][] Train()
    {
        var model = new ResNet18(new ResNetConfig(InChannels: 3, Width: 8, Classes: 5), new RandomStream(11));
        var x = Tensor.Normal(new RandomStream(12), 0f, 1f, 4, 3, 48, 48);
        var parameters = model.Parameters().ToList();
        var optimizer = new Sgd(parameters, learningRate: 0.05, momentum: 0.9);
        var loss = new CrossEntropyLoss();
        for (int step = 0; step < 3; step++)
        {
            optimizer.ZeroGrad();
            loss.Forward(model.Forward(x), [0, 1, 2, 3]).Backward();
            optimizer.Step();
        }
        return parameters.Select(p => (float[])p.Data.Clone()).ToArray();
    }
}
