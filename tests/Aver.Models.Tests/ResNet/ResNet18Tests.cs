using Aver.Models.ResNet;
using Aver.Tensors;

namespace Aver.Models.Tests.ResNet;

/// <summary>Aver's ResNet-18 against torchvision's resnet18 (fixture from tools/reference/resnet.py).</summary>
public class ResNet18Tests
{
    private static readonly Aver.Tensors.IO.SafeTensorsFile Reference = Fixture.Load("models/resnet18.safetensors");
    // The input's phase was chosen by tools/reference/resnet.py so that every ReLU input stands at
    // least relu_margin (~4e-5) from zero: a unit on the kink would let float32 rounding (Winograd's,
    // another BLAS kernel's) flip its whole gradient, which is no defect of either side.
    private static readonly long InputPhase = long.Parse(Reference.Metadata["input_phase"]);

    // The same formula as tools/reference/resnet.py: scale * u, u in [-1, 1) from an integer hash of (i, phase).
    internal static float[] Wave(int n, long phase, double scale)
    {
        var v = new float[n];
        for (long i = 0; i < n; i++)
        {
            ulong h = (ulong)(i * 2654435761L + phase * 40503 + 12345) & 0xFFFFFFFF;
            h ^= h >> 15;
            h = (h * 2246822519UL) & 0xFFFFFFFF;
            h ^= h >> 13;
            v[i] = (float)(scale * (h / 4294967296.0 * 2 - 1));
        }
        return v;
    }

    private static ResNet18 FilledModel()
    {
        var m = new ResNet18(new ResNetConfig(InChannels: 3, Width: 64, Classes: 8));
        int t = 0;
        foreach (var (name, v) in m.StateDict())
        {
            int n = v.Size, index = t++;
            if (name.EndsWith("num_batches_tracked")) continue;
            float[] vals;
            if (name.EndsWith("running_var")) { vals = Wave(n, index, 1.0); for (int i = 0; i < n; i++) vals[i] = 1f + 0.5f * MathF.Abs(vals[i]); }
            else if (name.EndsWith("running_mean") || (v.Rank == 1 && name.EndsWith("bias"))) vals = Wave(n, index, 0.1);
            else if (v.Rank == 1) { vals = Wave(n, index, 0.1); for (int i = 0; i < n; i++) vals[i] += 1f; }
            else vals = Wave(n, index, Math.Sqrt(3.0 / (n / v.Dim(0))));
            vals.CopyTo(v.Data, 0);
        }
        return m;
    }

    [Fact]
    public void StateDictNamesAndShapesMatchTorchvision()
    {
        var expected = Reference.Metadata["state_dict"].Split(';');
        var actual = new ResNet18(new ResNetConfig(Classes: 8)).StateDict()
            .Select(kv => $"{kv.Key}:{string.Join("x", kv.Value.Shape.ToArray())}").ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void EvalOutputMatchesTorchvision()
    {
        var m = FilledModel();
        m.Eval();
        using var _ = GradMode.NoGrad();
        var y = m.Forward(new Tensor(Wave(2 * 3 * 64 * 64, InputPhase, 1.0), 2, 3, 64, 64));
        Fixture.AssertClose(Reference.Tensors["eval.output"], y, "eval output", rtol: 1e-3f, atol: 1e-4f);
    }

    [Fact]
    public void TrainingForwardBackwardAndRunningStatsMatchTorchvision()
    {
        var m = FilledModel();
        m.Train();
        var x = new Tensor(Wave(2 * 3 * 64 * 64, InputPhase, 1.0), 2, 3, 64, 64).RequireGrad();
        var y = m.Forward(x);
        Fixture.AssertClose(Reference.Tensors["train.output"], y, "train output", rtol: 1e-3f, atol: 1e-4f);
        y.Backward(new Tensor(Wave(16, 1001, 1.0), 2, 8));
        var p = m.NamedParameters().ToDictionary(kv => kv.Key, kv => kv.Value);
        var b = m.NamedBuffers().ToDictionary(kv => kv.Key, kv => kv.Value);
        Fixture.AssertClose(Reference.Tensors["train.input_grad"], x.GradTensor(), "input grad", rtol: 2e-3f, atol: 1e-4f);
        Fixture.AssertClose(Reference.Tensors["train.conv1.weight.grad"], p["conv1.weight"].GradTensor(), "conv1.weight grad", rtol: 2e-3f, atol: 1e-4f);
        Fixture.AssertClose(Reference.Tensors["train.layer4.1.bn2.weight.grad"], p["layer4.1.bn2.weight"].GradTensor(), "layer4.1.bn2.weight grad", rtol: 2e-3f, atol: 1e-4f);
        Fixture.AssertClose(Reference.Tensors["train.fc.weight.grad"], p["fc.weight"].GradTensor(), "fc.weight grad", rtol: 2e-3f, atol: 1e-4f);
        var ds = p["layer2.0.downsample.0.weight"].GradTensor().Sum(1).Sum(1).Sum(1);
        Fixture.AssertClose(Reference.Tensors["train.layer2.0.downsample.0.weight.grad.sum"], ds, "downsample grad", rtol: 2e-3f, atol: 1e-4f);
        Fixture.AssertClose(Reference.Tensors["train.bn1.running_mean"], b["bn1.running_mean"], "running mean", rtol: 1e-4f, atol: 1e-5f);
        Fixture.AssertClose(Reference.Tensors["train.layer3.0.downsample.1.running_var"], b["layer3.0.downsample.1.running_var"], "running var", rtol: 1e-4f, atol: 1e-5f);
    }

    [Fact]
    public void WidthAndChannelsAreConfigurable()
    {
        var m = new ResNet18(new ResNetConfig(InChannels: 1, Width: 8, Classes: 0), new RandomStream(1));
        var f = m.Forward(Tensor.Normal(new RandomStream(2), 0, 1, 3, 1, 48, 48));
        Assert.Equal([3, 64], f.Shape.ToArray());
        var e = Assert.Throws<ShapeException>(() => m.Forward(new Tensor(3, 3, 48, 48)));
        Assert.Contains("[3, 3, 48, 48]", e.Message);
    }
}
