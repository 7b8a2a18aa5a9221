using Aver.Tensors.Nn;
using Aver.Tensors.Optim;

namespace Aver.Tensors.Tests;

public class TensorMemoryTests
{
    private const int Large = 1 << 15;   // TensorMemory's default MinPooledLength

    [Fact]
    public void ARecycledArrayIsRentedAgainAtItsExactLengthOnly()
    {
        using var _ = new RecyclingState(enabled: true);
        var array = TensorMemory.Rent(Large + 5);
        Assert.Equal(Large + 5, array.Length);
        TensorMemory.Recycle(array);
        Assert.Equal(4L * (Large + 5), TensorMemory.PooledBytes);
        Assert.NotSame(array, TensorMemory.Rent(Large + 6));
        Assert.Same(array, TensorMemory.Rent(Large + 5));
        Assert.Equal(0, TensorMemory.PooledBytes);

        TensorMemory.Recycle(array);
        var zeroed = TensorMemory.RentZeroed(Large + 5);
        Assert.Same(array, zeroed);
        Assert.All(zeroed, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void SmallArraysTheCapAndTheSwitchKeepArraysOutOfThePool()
    {
        using var _ = new RecyclingState(enabled: true);
        TensorMemory.Recycle(new float[Large - 1]);
        Assert.Equal(0, TensorMemory.PooledBytes);

        TensorMemory.MaxPooledBytes = 4L * Large;
        TensorMemory.Recycle(new float[Large]);
        TensorMemory.Recycle(new float[Large]);
        Assert.Equal(4L * Large, TensorMemory.PooledBytes);
        TensorMemory.Trim();
        Assert.Equal(0, TensorMemory.PooledBytes);

        TensorMemory.Enabled = false;
        var array = new float[Large];
        TensorMemory.Recycle(array);
        Assert.Equal(0, TensorMemory.PooledBytes);
        Assert.NotSame(array, TensorMemory.Rent(Large));
    }

    [Fact]
    public void BackwardAndZeroGradHandTheirGradientsBackForTheNextStep()
    {
        using var _ = new RecyclingState(enabled: true);
        var rng = new RandomStream(3);
        var w = Tensor.Normal(rng, 0f, 1f, Large).RequireGrad();
        var x = Tensor.Normal(rng, 0f, 1f, Large);
        var optimizer = new Sgd([w], learningRate: 0.1);
        w.Mul(x).Relu().Sum().Backward();
        Assert.NotNull(w.Grad);
        long afterBackward = TensorMemory.PooledBytes;
        Assert.True(afterBackward >= 4L * Large, $"backprop recycled {afterBackward} bytes");
        var grad = w.Grad;
        optimizer.ZeroGrad();
        Assert.Null(w.Grad);
        Assert.Equal(afterBackward + 4L * Large, TensorMemory.PooledBytes);
        // Recycled arrays are poisoned here, so a stale reader would see NaN.
        Assert.True(float.IsNaN(grad[0]));
    }

    [Fact]
    public void ReleaseTakesInferenceTemporariesButLeavesWhatAGraphNeeds()
    {
        using var _ = new RecyclingState(enabled: true);
        var rng = new RandomStream(4);
        var w = Tensor.Normal(rng, 0f, 1f, Large).RequireGrad();
        var inGraph = w.Mul(2f);
        TensorMemory.Release(inGraph);
        Assert.Equal(0, TensorMemory.PooledBytes);
        Assert.DoesNotContain(inGraph.Data, float.IsNaN);
        // Needs no gradient itself, but the product with w keeps it for w's gradient: with gradients on, left alone.
        var frozen = Tensor.Normal(rng, 0f, 1f, Large).Mul(3f);
        var product = frozen.Mul(w);
        TensorMemory.Release(frozen);
        Assert.Equal(0, TensorMemory.PooledBytes);
        product.Sum().Backward();
        Assert.DoesNotContain(w.Grad!, float.IsNaN);

        TensorMemory.Trim();
        using (GradMode.NoGrad())
        {
            var temporary = w.Mul(2f);
            TensorMemory.Release(temporary);
            Assert.Equal(4L * Large, TensorMemory.PooledBytes);
            Assert.Same(temporary.Data, TensorMemory.Rent(Large));
        }
    }

    [Fact]
    public void ResultsReleasedInTrainingGoBackOnceTheBackwardPassIsDoneWithThem()
    {
        using var _ = new RecyclingState(enabled: true);
        var rng = new RandomStream(6);
        var w = Tensor.Normal(rng, 0f, 1f, Large).RequireGrad();
        var frozen = Tensor.Normal(rng, 0f, 1f, Large).Mul(3f);
        var twice = w.Mul(2f);
        var product = twice.Mul(twice).Mul(frozen);   // both factors' closures read twice, and frozen, after the release
        TensorMemory.Release(twice);
        TensorMemory.Release(frozen);
        Assert.Equal(0, TensorMemory.PooledBytes);
        var frozenValues = (float[])frozen.Data.Clone();
        product.Sum().Backward();
        // d/dw (2w)^2 f = 8 w f, computed from the released values before they went back.
        for (int i = 0; i < Large; i += 997) Assert.Equal(8f * w.Data[i] * frozenValues[i], w.Grad![i], 3f * MathF.Abs(w.Grad[i]) * 1e-6f + 1e-6f);
        Assert.True(float.IsNaN(twice.Data[0]), "the released result was not recycled after backward");
        Assert.Equal(frozenValues, frozen.Data);                 // outside the graph: left to the GC
        Assert.Same(twice.Data, TensorMemory.Rent(Large));
    }

    /// <summary>
    /// Residual convolutions, batch norm with fused ReLU and residual add, max pooling, a linear head, cross-entropy and
    /// AdamW, with arrays big enough to be pooled: three steps with recycling (every recycled array poisoned with NaN)
    /// give the same parameters, bit for bit, as three steps without. An op that read a rented array before writing it,
    /// or a tensor that still held a recycled one, would differ or turn NaN.
    /// </summary>
    [Fact]
    public void TrainingStepsGiveTheSameBitsWithAndWithoutRecycling()
    {
        float[][] without, with;
        using (new RecyclingState(enabled: false)) without = Train();
        using (new RecyclingState(enabled: true))
        {
            with = Train();
            Assert.True(TensorMemory.PooledBytes > 0, "nothing was recycled");
        }
        Assert.Equal(without.Length, with.Length);
        for (int i = 0; i < without.Length; i++)
        {
            Assert.DoesNotContain(with[i], float.IsNaN);
            Assert.Equal(without[i], with[i]);
        }
    }

    /// <summary>
    /// The ops whose closures keep a later closure's gradient (attention weights, an LSTM's final states) with arrays big
    /// enough to be pooled: recycling must leave those gradients alone until their reader has run.
    /// </summary>
    [Fact]
    public void AttentionAndLstmStepsGiveTheSameBitsWithAndWithoutRecycling()
    {
        float[][] without, with;
        using (new RecyclingState(enabled: false)) without = TrainSequences();
        using (new RecyclingState(enabled: true)) with = TrainSequences();
        for (int i = 0; i < without.Length; i++)
        {
            Assert.DoesNotContain(with[i], float.IsNaN);
            Assert.Equal(without[i], with[i]);
        }
    }

    private static float[][] TrainSequences()
    {
        var rng = new RandomStream(5);
        var lstm = new LSTM(16, 128, bidirectional: true, rng: rng);
        var qkv = Tensor.Normal(rng, 0f, 0.5f, 8, 32, 192).RequireGrad();   // weights [8, 4, 32, 32]: 32,768 floats
        var target = Tensor.Normal(rng, 0f, 0.1f, 8, 4, 32, 32);
        var input = Tensor.Normal(rng, 0f, 1f, 128, 4, 16);                  // final states [2, 128, 128]: 32,768
        var parameters = lstm.Parameters().Append(qkv).ToList();
        var optimizer = new Sgd(parameters, learningRate: 0.01);
        for (int step = 0; step < 3; step++)
        {
            optimizer.ZeroGrad();
            var run = lstm.Forward(input, null);
            var (context, weights) = ScaledDotProductAttention.Forward(qkv, heads: 4);
            var loss = run.Output.Mul(run.Output).Sum().Add(run.H.Mul(run.C).Sum())
                .Add(context.Mul(context).Sum()).Add(weights.Mul(target).Sum());
            loss.Backward();
            optimizer.Step();
        }
        return parameters.Select(p => (float[])p.Data.Clone()).ToArray();
    }

    private static float[][] Train()
    {
        var rng = new RandomStream(17);
        var stem = new Conv2d(3, 16, 3, padding: 1, bias: false, rng: rng);
        var bn1 = new BatchNorm2d(16);
        var conv = new Conv2d(16, 16, 3, padding: 1, bias: false, rng: rng);
        var bn2 = new BatchNorm2d(16);
        var head = new Linear(16 * 16 * 16, 8, rng: rng); // 32,768 weights: pooled when ZeroGrad drops their gradient
        var modules = new Module[] { stem, bn1, conv, bn2, head };
        var parameters = modules.SelectMany(m => m.Parameters()).ToList();
        var optimizer = new AdamW(parameters, learningRate: 1e-2);
        var loss = new CrossEntropyLoss();
        var x = Tensor.Normal(rng, 0f, 1f, 8, 3, 32, 32);
        int[] labels = [0, 1, 2, 3, 4, 5, 6, 7];
        for (int step = 0; step < 3; step++)
        {
            optimizer.ZeroGrad();
            // Released as ResNet's blocks release theirs: recycled once the backward pass is done with them.
            var s = stem.Forward(x);
            var h = bn1.ForwardRelu(s);
            TensorMemory.Release(s);
            var c = conv.Forward(h);
            var sum = bn2.ForwardAddRelu(c, h);
            TensorMemory.Release(c);
            TensorMemory.Release(h);
            var r = sum.MaxPool2d(2, 2);
            TensorMemory.Release(sum);
            loss.Forward(head.Forward(r.Reshape(8, 16 * 16 * 16)), labels).Backward();
            optimizer.Step();
        }
        return parameters.Select(p => (float[])p.Data.Clone()).ToArray();
    }

    /// <summary>Sets recycling (with poisoning, pooling from the default length) for one test and puts the process-wide settings back after it.</summary>
    private sealed class RecyclingState : IDisposable
    {
        private readonly bool _enabled = TensorMemory.Enabled, _poison = TensorMemory.PoisonRecycled;
        private readonly long _max = TensorMemory.MaxPooledBytes;
        private readonly int _min = TensorMemory.MinPooledLength;

        public RecyclingState(bool enabled)
        {
            TensorMemory.Trim();
            TensorMemory.Enabled = enabled;
            TensorMemory.PoisonRecycled = true;
            TensorMemory.MinPooledLength = Large;
        }

        public void Dispose()
        {
            TensorMemory.Trim();
            (TensorMemory.Enabled, TensorMemory.PoisonRecycled, TensorMemory.MaxPooledBytes, TensorMemory.MinPooledLength) = (_enabled, _poison, _max, _min);
        }
    }
}
