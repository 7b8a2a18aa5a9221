using Aver.Tensors.Nn;

namespace Aver.Tensors.Tests.Nn;

public class DropoutTests
{
    [Fact]
    public void DropsAboutPAndScalesSurvivors()
    {
        var x = Tensor.Ones(10000);
        var y = x.Dropout(0.3f, new RandomStream(5));
        int zeros = y.Data.Count(v => v == 0f);
        Assert.InRange(zeros, 2800, 3200);
        Assert.All(y.Data, v => Assert.True(v == 0f || Math.Abs(v - 1f / 0.7f) < 1e-6f));
    }

    [Fact]
    public void SameSeedSameMask()
    {
        var x = Tensor.Ones(100);
        Assert.Equal(x.Dropout(0.5f, new RandomStream(9)).Data, x.Dropout(0.5f, new RandomStream(9)).Data);
        Assert.NotEqual(x.Dropout(0.5f, new RandomStream(9)).Data, x.Dropout(0.5f, new RandomStream(10)).Data);
    }

    [Fact]
    public void GradientFollowsMask()
    {
        var x = TestData.Rand(1, 50);
        var y = x.Dropout(0.4f, new RandomStream(3));
        y.Sum().Backward();
        for (int i = 0; i < x.Size; i++)
            Assert.Equal(y.Data[i] == 0f ? 0f : 1f / 0.6f, x.Grad![i], 5);
    }

    [Fact]
    public void ModuleIsIdentityInEvalAndAllZerosAtPOne()
    {
        var x = TestData.Rand(2, 4, 4);
        var d = new Dropout(0.5f, new RandomStream(1));
        d.Eval();
        Assert.Same(x, d.Forward(x));
        Assert.All(x.Dropout(1f, new RandomStream(1)).Data, v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.5f));
    }

    [Fact]
    public void ModulesWithoutStreamDrawDifferentMasks()
    {
        var x = Tensor.Ones(64);
        Assert.NotEqual(new Dropout().Forward(x).Data, new Dropout().Forward(x).Data);
    }
}
