using Aver.Tensors.Nn;

namespace Aver.Tensors.Tests.Nn;

using static TestData;

public class BatchNormTests
{
    private static readonly LayersReference Ref = new("layers_batchnorm.safetensors");

    [Theory]
    [InlineData("bn1d2", "train")] [InlineData("bn1d3", "train")] [InlineData("bn2d", "train")] [InlineData("bn3d", "train")]
    [InlineData("bn1d2", "eval")] [InlineData("bn1d3", "eval")] [InlineData("bn2d", "eval")] [InlineData("bn3d", "eval")]
    public void MatchesTorch(string name, string mode)
    {
        var x = Ref.Leaf($"{name}.x"); var w = Ref.Leaf($"{name}.weight"); var b = Ref.Leaf($"{name}.bias");
        var rm = Ref[$"{name}.running_mean0"]; var rv = Ref[$"{name}.running_var0"];
        var y = x.BatchNorm(rm, rv, w, b, training: mode == "train");
        string k = $"{name}.{mode}";
        Ref.AssertClose($"{k}.y", y);
        Ref.AssertClose($"{k}.running_mean", rm);
        Ref.AssertClose($"{k}.running_var", rv);
        Ref.Backward(y, $"{k}.gy");
        Ref.AssertGrad($"{k}.dx", x, 1e-3f, 1e-5f);
        Ref.AssertGrad($"{k}.dweight", w);
        Ref.AssertGrad($"{k}.dbias", b);
    }

    [Fact]
    public void ModuleStateMatchesTorchAfterTwoSteps()
    {
        var m = new BatchNorm2d(2);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], m.StateDict().Select(kv => kv.Key).ToArray());
        m.Forward(Ref["module.x0"]);
        m.Forward(Ref["module.x1"]);
        foreach (var (key, t) in m.StateDict())
        {
            var expected = Ref[$"module.state.{key}"];
            Assert.Equal(expected.Shape.ToArray(), t.Shape.ToArray());
            Ref.AssertClose($"module.state.{key}", t);
        }
        Assert.Equal(2f, m.NumBatchesTracked!.Item());
    }

    [Fact]
    public void EvalUsesRunningStatsAndLeavesThem()
    {
        var m = new BatchNorm1d(3);
        m.RunningMean!.Data[1] = 2f;
        m.RunningVar!.Data[1] = 4f;
        m.Eval();
        var y = m.Forward(Tensor.Full(4f, 2, 3));
        Assert.Equal((4f - 2f) / MathF.Sqrt(4f + 1e-5f), y[0, 1], 5);
        Assert.Equal(2f, m.RunningMean.Data[1]);
        Assert.Equal(0f, m.NumBatchesTracked!.Item());
    }

    [Fact]
    public void WithoutRunningStatsEvalNormalisesByTheBatch()
    {
        var m = new BatchNorm1d(1, affine: false, trackRunningStats: false);
        Assert.Empty(m.StateDict());
        m.Eval();
        var y = m.Forward(Tensor.FromArray([1f, 3f], 2, 1));
        Assert.Equal(-1f, y.Data[0], 3);
        Assert.Equal(1f, y.Data[1], 3);
    }

    [Fact]
    public void CumulativeMomentumAveragesBatches()
    {
        var m = new BatchNorm1d(1, momentum: null);
        m.Forward(Tensor.FromArray([1f, 3f], 2, 1));
        m.Forward(Tensor.FromArray([5f, 7f], 2, 1));
        Assert.Equal(4f, m.RunningMean!.Data[0], 5); // mean of the batch means 2 and 6
    }

    [Fact] public void TrainingGradients() => NormalizationGradients.Assert(x => x[0].BatchNorm(null, null, x[1], x[2], training: true), Rand(1, 3, 2, 4), Rand(2, 2), Rand(3, 2));
    [Fact] public void EvalGradients() => AssertGradients(x => x[0].BatchNorm(Tensor.FromArray([0.1f, -0.2f], 2), Tensor.FromArray([0.5f, 2f], 2), x[1], x[2], training: false), Rand(1, 3, 2, 4), Rand(2, 2), Rand(3, 2));

    [Fact]
    public void WrongChannelsNameModuleAndShape()
    {
        var e = Assert.Throws<ShapeException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros(2, 4, 5, 5)));
        Assert.Contains("BatchNorm2d(3)", e.Message);
        Assert.Contains("[2, 4, 5, 5]", e.Message);
        Assert.Throws<ShapeException>(() => new BatchNorm1d(3).Forward(Tensor.Zeros(1, 3)));
    }

    [Fact]
    public void RoundTripsThroughSafeTensors()
    {
        var m = new BatchNorm1d(2);
        m.Forward(Rand(4, 5, 2));
        var path = Path.Combine(Path.GetTempPath(), $"aver-bn-{Guid.NewGuid():N}.safetensors");
        try
        {
            m.Save(path);
            var copy = new BatchNorm1d(2);
            copy.Load(path);
            Assert.Equal(m.RunningVar!.Data, copy.RunningVar!.Data);
            Assert.Equal(1f, copy.NumBatchesTracked!.Item());
        }
        finally { File.Delete(path); }
    }
}
