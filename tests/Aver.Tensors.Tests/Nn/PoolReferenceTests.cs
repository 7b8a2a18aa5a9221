namespace Aver.Tensors.Tests.Nn;

/// <summary>Pooling forward output and input gradient against PyTorch (tools/reference/conv_pool.py).</summary>
public class PoolReferenceTests
{
    private static readonly SafeTensorsFileCache File = new("tensors/conv_pool_pool.safetensors");

    public static TheoryData<string> Cases => new()
    {
        "maxpool1d", "maxpool2d_resnet", "maxpool2d_dilated_ceil", "maxpool3d", "avgpool1d", "avgpool2d_ceil",
        "avgpool2d_exclude_pad", "avgpool3d", "adaptiveavgpool1d", "adaptiveavgpool2d", "adaptiveavgpool2d_global", "adaptiveavgpool3d",
    };

    // The same arguments as the POOL table in the script.
    private static Tensor Apply(string name, Tensor x) => name switch
    {
        "maxpool1d" => x.MaxPool1d(3, 2, 1),
        "maxpool2d_resnet" => x.MaxPool2d(3, 2, 1),
        "maxpool2d_dilated_ceil" => x.MaxPool2d((2, 3), (2, 1), (1, 1), dilation: 2, ceilMode: true),
        "maxpool3d" => x.MaxPool3d((1, 2, 2), (1, 2, 2)),
        "avgpool1d" => x.AvgPool1d(3, 2, 1),
        "avgpool2d_ceil" => x.AvgPool2d(3, 2, 1, ceilMode: true),
        "avgpool2d_exclude_pad" => x.AvgPool2d(3, 2, 1, countIncludePad: false),
        "avgpool3d" => x.AvgPool3d(2),
        "adaptiveavgpool1d" => x.AdaptiveAvgPool1d(3),
        "adaptiveavgpool2d" => x.AdaptiveAvgPool2d((3, 2)),
        "adaptiveavgpool2d_global" => x.AdaptiveAvgPool2d(1),
        "adaptiveavgpool3d" => x.AdaptiveAvgPool3d((2, 3, 4)),
        _ => throw new ArgumentException(name),
    };

    [Theory, MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var t = File.Get();
        var x = t[name + ".x"].Detach().RequireGrad();
        var y = Apply(name, x);
        Fixture.AssertClose(t[name + ".y"], y, name + " output");
        y.Backward(t[name + ".gy"]);
        Fixture.AssertClose(t[name + ".gx"], x.GradTensor(), name + " input gradient");
    }
}
