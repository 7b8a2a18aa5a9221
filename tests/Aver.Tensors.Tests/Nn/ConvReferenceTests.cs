namespace Aver.Tensors.Tests.Nn;

/// <summary>Convolution forward output and gradients against PyTorch (tools/reference/conv_pool.py).</summary>
public class ConvReferenceTests
{
    private static readonly SafeTensorsFileCache File = new("tensors/conv_pool_conv.safetensors");

    public static TheoryData<string> Cases => new()
    {
        "conv1d_strided_dilated_groups", "conv1d_pointwise", "conv2d_strided_padded", "conv2d_dilated_groups",
        "conv2d_depthwise", "conv2d_pointwise_nobias", "conv2d_resnet_stem", "conv3d_mixed", "conv3d_c3d",
    };

    // The same arguments as the CONV table in the script.
    private static Tensor Apply(string name, Tensor x, Tensor w, Tensor? b) => name switch
    {
        "conv1d_strided_dilated_groups" => x.Conv1d(w, b, stride: 2, padding: 1, dilation: 2, groups: 2),
        "conv1d_pointwise" => x.Conv1d(w, b),
        "conv2d_strided_padded" => x.Conv2d(w, b, stride: (2, 1), padding: (1, 2)),
        "conv2d_dilated_groups" => x.Conv2d(w, b, padding: (2, 0), dilation: (2, 1), groups: 2),
        "conv2d_depthwise" => x.Conv2d(w, b, stride: 2, padding: 1, groups: 4),
        "conv2d_pointwise_nobias" => x.Conv2d(w, b),
        "conv2d_resnet_stem" => x.Conv2d(w, b, stride: 2, padding: 3),
        "conv3d_mixed" => x.Conv3d(w, b, stride: (1, 2, 1), padding: (1, 0, 1), dilation: (1, 1, 2), groups: 2),
        "conv3d_c3d" => x.Conv3d(w, b, padding: 1),
        _ => throw new ArgumentException(name),
    };

    [Theory, MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var t = File.Get();
        var x = t[name + ".x"].Detach().RequireGrad();
        var w = t[name + ".w"].Detach().RequireGrad();
        var b = t.TryGetValue(name + ".b", out var bt) ? bt.Detach().RequireGrad() : null;
        var y = Apply(name, x, w, b);
        Fixture.AssertClose(t[name + ".y"], y, name + " output");
        y.Backward(t[name + ".gy"]);
        Fixture.AssertClose(t[name + ".gx"], x.GradTensor(), name + " input gradient");
        Fixture.AssertClose(t[name + ".gw"], w.GradTensor(), name + " weight gradient");
        if (b is not null) Fixture.AssertClose(t[name + ".gb"], b.GradTensor(), name + " bias gradient");
    }
}

/// <summary>Loads a fixture file once per test class.</summary>
internal sealed class SafeTensorsFileCache(string relativePath)
{
    private readonly Lazy<IReadOnlyDictionary<string, Tensor>> _tensors = new(() => Fixture.Load(relativePath).Tensors);
    public IReadOnlyDictionary<string, Tensor> Get() => _tensors.Value;
}
