using Aver.Models.ResNet;
using Aver.Tensors;

namespace Aver.Models.Tests.ResNet;

/// <summary>
/// ResNet-18's inference hands its intermediate results back to <see cref="TensorMemory"/> (poisoned with NaN in the test
/// suites): repeated forward passes must give the bits of a run without recycling, as nothing still reads a released array.
/// </summary>
public class ResNetInferenceMemoryTests
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
}
