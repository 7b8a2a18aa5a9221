using Aver.Tensors.IO;
using Aver.Tensors.Nn;

namespace Aver.Tensors.Tests.IO;

public class SafeTensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-st-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void RoundTripsValuesShapesAndMetadata()
    {
        var path = Path.Combine(_dir, "a.safetensors");
        var a = TestData.Rand(1, 2, 3); var b = TestData.Rand(2, 5);
        SafeTensors.Save(path, [new("a", a), new("b.x", b)], new Dictionary<string, string> { ["arch"] = "test" });
        var f = SafeTensors.Load(path);
        Assert.Equal("test", f.Metadata["arch"]);
        Assert.Equal(a.Data, f.Tensors["a"].Data);
        Assert.Equal([2, 3], f.Tensors["a"].Shape.ToArray());
        Assert.Equal(b.Data, f.Tensors["b.x"].Data);
        Assert.Equal(0, (new FileInfo(path).Length - 8 - BitConverter.ToInt64(File.ReadAllBytes(path), 0)) % 4);
    }

    [Fact]
    public void HalfPrecisionRoundTripsWithinHalfAccuracy()
    {
        var path = Path.Combine(_dir, "h.safetensors");
        var a = TestData.Rand(1, 100);
        SafeTensors.Save(path, [new("a", a)], dtype: SafeTensorsDType.F16);
        var back = SafeTensors.Load(path).Tensors["a"];
        for (int i = 0; i < a.Size; i++) Assert.Equal(a.Data[i], back.Data[i], 1e-3f);
        Assert.True(new FileInfo(path).Length < 100 * 4);
    }

    [Fact]
    public void TruncatedFileNamesFileAndTensor()
    {
        var path = Path.Combine(_dir, "t.safetensors");
        SafeTensors.Save(path, [new("weight", TestData.Rand(1, 64))]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        var e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("weight", e.Message);
    }

    [Fact]
    public void GarbageIsRejectedWithTheFileName()
    {
        var path = Path.Combine(_dir, "g.safetensors");
        File.WriteAllText(path, "this is not a tensor file at all");
        var e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(path));
        Assert.Contains(path, e.Message);
    }

    private sealed class Net : Module
    {
        public Net(int hidden) { RegisterModule("fc1", new Linear(3, hidden)); RegisterModule("fc2", new Linear(hidden, 2)); }
    }

    [Fact]
    public void ModuleStateDictUsesDottedNamesAndLoadsBack()
    {
        var path = Path.Combine(_dir, "m.safetensors");
        var net = new Net(4);
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], net.StateDict().Select(kv => kv.Key));
        net.Save(path);
        var other = new Net(4);
        other.Load(path);
        Assert.Equal(net.StateDict()[0].Value.Data, other.StateDict()[0].Value.Data);
    }

    [Fact]
    public void MismatchedStateDictNamesEveryProblem()
    {
        var path = Path.Combine(_dir, "m.safetensors");
        new Net(4).Save(path);
        var e = Assert.Throws<StateDictException>(() => new Net(5).Load(path));
        Assert.Contains("fc1.weight", e.Message);
        Assert.Contains("[5, 3]", e.Message);
        Assert.Contains("[4, 3]", e.Message);
    }
}
