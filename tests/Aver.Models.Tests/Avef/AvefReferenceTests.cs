using Aver.Models.Tests.ResNet;
using Aver.Models.Avef;
using Aver.Tensors;

namespace Aver.Models.Tests.Avef;

/// <summary>AudioNet and VisualNet against the same layouts written in PyTorch (fixture from tools/reference/avef.py).</summary>
public class AvefReferenceTests
{
    private static readonly Aver.Tensors.IO.SafeTensorsFile Reference = Fixture.Load("models/avef_nets.safetensors");

    // tools/reference/resnet.py's `wave`, shared with the ResNet reference test.
    private static float[] Wave(int n, long phase, double scale) => ResNet18Tests.Wave(n, phase, scale);

    // avef.py's `fill`: biases 0.1·wave, weights sqrt(6 / fan_in)·wave, phase = position in the state dict.
    private static T Filled<T>(T net) where T : SegmentCnn
    {
        int t = 0;
        foreach (var (name, p) in net.StateDict())
        {
            int n = p.Size, index = t++;
            Wave(n, index, p.Rank == 1 ? 0.1 : Math.Sqrt(6.0 / (n / p.Dim(0)))).CopyTo(p.Data, 0);
        }
        net.Eval();
        return net;
    }

    private static string Names(SegmentCnn net) => string.Join(";", net.StateDict().Select(kv => $"{kv.Key}:{string.Join("x", kv.Value.Shape.ToArray())}"));

    [Fact]
    public void AudioNetMatchesTheTorchLayout()
    {
        var net = Filled(new AudioNet(new AudioNetConfig(6, Width: 1.0 / 16, FcSize: 16)));
        Assert.Equal(Reference.Metadata["audio_state_dict"], Names(net));
        var x = new Tensor(Wave(2 * 3 * 64 * 64, 2000, 1.0), 2, 3, 64, 64);
        var f = net.Features(x);
        Fixture.AssertClose(Reference.Tensors["audio_features"], f, "audio fc7");
        Fixture.AssertClose(Reference.Tensors["audio_scores"], net.Scores(f), "audio fc8");
    }

    [Fact]
    public void VisualNetMatchesTheTorchLayout()
    {
        var net = Filled(new VisualNet(new VisualNetConfig(6, Width: 1.0 / 32, FcSize: 12, InChannels: 1, InputHeight: 16, InputWidth: 16)));
        Assert.Equal(Reference.Metadata["visual_state_dict"], Names(net));
        var x = new Tensor(Wave(2 * 16 * 16 * 16, 2001, 1.0), 2, 1, 16, 16, 16);
        var f = net.Features(x);
        Fixture.AssertClose(Reference.Tensors["visual_features"], f, "visual fc7");
        Fixture.AssertClose(Reference.Tensors["visual_scores"], net.Scores(f), "visual fc8");
    }
}
