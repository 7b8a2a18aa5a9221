using Aver.Tensors.Nn;

namespace Aver.Tensors.Tests.Nn;

public class LayersIntegrationTests
{
    [Fact]
    public void SmallClassifierLearnsWithEveryLayerInTheChain()
    {
        var rng = new RandomStream(11);
        var net = new Sequential(
            new Linear(4, 16, rng: rng), new BatchNorm1d(16), new GELU(), new Dropout(0.1f, rng.Fork("dropout")),
            new Linear(16, 16, rng: rng), new LayerNorm(16), new PReLU(), new Linear(16, 3, rng: rng));
        // three separable classes: the label is the index of the largest of the first three features
        var x = Tensor.Normal(rng, 0f, 1f, 64, 4);
        var labels = new int[64];
        for (int i = 0; i < 64; i++) labels[i] = (int)x.Narrow(0, i, 1).Narrow(1, 0, 3).Argmax(1).Item();
        var loss = new CrossEntropyLoss(labelSmoothing: 0.05f);
        float first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            net.ZeroGrad();
            var l = loss.Forward(net.Forward(x), labels);
            l.Backward();
            foreach (var p in net.Parameters())
                for (int i = 0; i < p.Size; i++) p.Data[i] -= 0.1f * p.Grad![i];
            if (step == 0) first = l.Item();
            last = l.Item();
        }
        Assert.True(last < 0.5f * first, $"loss went from {first} to {last}");
        net.Eval();
        var predicted = net.Forward(x).Argmax(1).ToIndices();
        Assert.True(predicted.Zip(labels).Count(p => p.First == p.Second) >= 56, "training accuracy below 7/8");
    }

    [Fact]
    public void ActivationModulesApplyTheirFunctions()
    {
        var x = Tensor.FromArray([-2f, 0.5f], 2);
        Assert.Equal(x.Relu().Data, new ReLU().Forward(x).Data);
        Assert.Equal(x.Sigmoid().Data, new Sigmoid().Forward(x).Data);
        Assert.Equal(x.Tanh().Data, new Tanh().Forward(x).Data);
        Assert.Equal(x.Softmax().Data, new Softmax().Forward(x).Data);
        Assert.Equal([-0.02f, 0.5f], new LeakyReLU().Forward(x).Data);
        Assert.Equal(MathF.Exp(-2f) - 1f, new ELU().Forward(x).Data[0], 6);
    }
}
