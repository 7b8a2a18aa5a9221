using Aver.Tensors.Nn;

namespace Aver.Tensors.Tests.Nn;

public class StateDictRefusalTests
{
    [Fact]
    public void ARefusalNamesTheFirstTensorsAndCountsTheRest()
    {
        var net = new Sequential(Enumerable.Range(0, 20).Select(_ => (Module)new Linear(2, 2)).ToArray());
        var other = new Sequential(new Linear(3, 2));
        var e = Assert.Throws<StateDictException>(() => net.LoadStateDict(other.StateDict().ToDictionary(t => t.Key, t => t.Value), source: "run/best.safetensors"));
        Assert.Equal("run/best.safetensors does not fit Sequential: missing 1.weight, 1.bias, 2.weight and 35 more; mis-shaped 0.weight: expected [2, 2], file has [2, 3]", e.Message);
    }
}
