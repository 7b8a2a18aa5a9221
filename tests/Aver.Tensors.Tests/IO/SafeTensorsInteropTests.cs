using Aver.Tensors.IO;
using Aver.Tensors.Nn;

namespace Aver.Tensors.Tests.IO;

/// <summary>
/// Model files move both ways between Aver and PyTorch (tools/reference/optim.py writes the PyTorch
/// files and verifies that torch loads Aver's with load_state_dict(strict=True)).
/// </summary>
public class SafeTensorsInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-interop-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>The same network as torch's nn.Sequential(nn.Linear(4,8), nn.ReLU(), nn.Linear(8,3)).</summary>
    private static Sequential Mlp(RandomStream? rng = null) =>
        new(new Linear(4, 8, rng: rng), new Lambda(x => x.Relu()), new Linear(8, 3, rng: rng));

    [Fact]
    public void PyTorchStateDictLoadsStrictlyAndReproducesTheOutput()
    {
        var net = Mlp(new RandomStream(99));
        net.Load(Path.Combine(TestPaths.Fixtures, "tensors", "interop_mlp.safetensors"), strict: true);
        var io = Fixture.Load("tensors/interop_mlp_io.safetensors").Tensors;
        var y = net.Forward(io["input"]);
        Fixture.AssertClose(io["output"], y, "MLP output after loading torch's state dict", rtol: 1e-5f, atol: 1e-5f);
    }

    [Fact]
    public void AnUnloadedNetworkDoesNotReproduceTheOutput()
    {
        // Shows the test above can fail: the same inputs through a differently initialised network.
        var io = Fixture.Load("tensors/interop_mlp_io.safetensors").Tensors;
        var y = Mlp(new RandomStream(99)).Forward(io["input"]);
        Assert.NotEqual(io["output"].Data, y.Data);
    }

    /// <summary>
    /// The committed tests/fixtures/tensors/aver_mlp*.safetensors are exactly what Aver writes now, so
    /// the reference script's strict torch load checks Aver's real output. To regenerate after an intended
    /// change (of RandomStream, Init or the writer): AVER_WRITE_FIXTURES=1 dotnet test ... --filter AverWritten,
    /// then run tools/reference/optim.py.
    /// </summary>
    [Fact]
    public void AverWrittenModelFileIsCommittedByteForByte()
    {
        var net = Mlp(new RandomStream(2021));
        var input = Tensor.Uniform(new RandomStream(7), -2, 2, 5, 4);
        var output = net.Forward(input).Detach();
        var model = Path.Combine(_dir, "aver_mlp.safetensors");
        var io = Path.Combine(_dir, "aver_mlp_io.safetensors");
        net.Save(model, new Dictionary<string, string> { ["architecture"] = "mlp-4-8-3", ["writer"] = "Aver" });
        SafeTensors.Save(io, [new("input", input), new("output", output)]);

        var committed = Path.Combine(TestPaths.Fixtures, "tensors");
        if (Environment.GetEnvironmentVariable("AVER_WRITE_FIXTURES") == "1")
        {
            File.Copy(model, Path.Combine(committed, "aver_mlp.safetensors"), overwrite: true);
            File.Copy(io, Path.Combine(committed, "aver_mlp_io.safetensors"), overwrite: true);
        }
        Assert.Equal(File.ReadAllBytes(Path.Combine(committed, "aver_mlp.safetensors")), File.ReadAllBytes(model));
        Assert.Equal(File.ReadAllBytes(Path.Combine(committed, "aver_mlp_io.safetensors")), File.ReadAllBytes(io));
    }

    [Fact]
    public void AverWrittenFileHasTorchNamesInStateDictOrder()
    {
        var f = Fixture.Load("tensors/aver_mlp.safetensors");
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], f.Tensors.Keys);
        Assert.Equal([8, 4], f.Tensors["0.weight"].Shape.ToArray());
        Assert.Equal("Aver", f.Metadata["writer"]);
    }

    [Fact]
    public void HalfAndBFloat16FromTorchReadAsTorchConvertsThem()
    {
        var t = Fixture.Load("tensors/dtypes.safetensors").Tensors;
        Assert.Equal(t["f16.as_f32"].Data, t["f16"].Data);
        Assert.Equal(t["bf16.as_f32"].Data, t["bf16"].Data);
        Assert.Equal(16, t["bf16"].Size);
        Assert.Contains(65504f, t["f16"].Data);
        Assert.Contains(t["bf16"].Data, v => v > 2.9e38f);
        Assert.True(float.IsNegative(t["bf16"].Data[11]), "-0.0 keeps its sign");
    }

    [Fact]
    public void Int64BuffersFromTorchRead()
    {
        var t = Fixture.Load("tensors/dtypes.safetensors").Tensors;
        var tracked = t["bn.num_batches_tracked"];
        Assert.Equal(0, tracked.Rank);
        Assert.Equal(3f, tracked.Item());
        Assert.Equal([0f, 1f, -7f, 123456f, 16777216f, -1048576f], t["i64"].Data);
        Assert.Equal([2, 3], t["i64"].Shape.ToArray());
        Assert.Equal(3, t["bn.running_mean"].Size);
    }
}
