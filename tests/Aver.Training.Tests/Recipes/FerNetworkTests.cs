using Aver.Data.Labels;
using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Training.Recipes;

namespace Aver.Training.Tests.Recipes;

/// <summary>`aver build-model --visual A,B`: FER networks join one ensemble only with one hold-out and one face input.</summary>
public class FerNetworkTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "aver-fer-network-" + Guid.NewGuid().ToString("N"));

    public FerNetworkTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, int width, string seed, string mean = "0.5")
    {
        var path = Path.Combine(_dir, name);
        new ResNet18(new ResNetConfig(1, width, 7), new RandomStream(1)).Save(path, new Dictionary<string, string>
        {
            ["width"] = width.ToString(System.Globalization.CultureInfo.InvariantCulture), ["labels"] = string.Join(",", LabelSpaces.Fer7.Names),
            ["pixel_mean"] = mean, ["pixel_std"] = "0.25", ["seed"] = seed,
        });
        return path;
    }

    [Fact]
    public void Networks_of_one_seed_and_face_input_join()
    {
        var first = FerNetwork.Load(Write("a.safetensors", 2, "1"));
        var second = FerNetwork.Load(Write("b.safetensors", 3, "1"));
        second.CheckSameInputAs(first);
        Assert.Equal(3, second.Network.Config.Width);
    }

    [Fact]
    public void Another_seed_means_another_hold_out_and_is_refused_naming_the_file()
    {
        var first = FerNetwork.Load(Write("a.safetensors", 2, "1"));
        var path = Write("b.safetensors", 2, "2");
        var e = Assert.Throws<InvalidDataException>(() => FerNetwork.Load(path).CheckSameInputAs(first));
        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains("seed 2", e.Message);
    }

    [Fact]
    public void Another_face_standardisation_is_refused()
    {
        var first = FerNetwork.Load(Write("a.safetensors", 2, "1"));
        var e = Assert.Throws<InvalidDataException>(() => FerNetwork.Load(Write("b.safetensors", 2, "1", mean: "0.4")).CheckSameInputAs(first));
        Assert.Contains("one face input", e.Message);
    }
}
