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

/// <summary>`aver build-model --visual BUNDLE`: a default-model bundle brings every network of its visual branch.</summary>
public class FerNetworkFromBundleTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "aver-fer-bundle-" + Guid.NewGuid().ToString("N"));

    public FerNetworkFromBundleTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A visual-only bundle of two small networks in <c>DIR/model.safetensors</c>; its split seed recorded unless null.</summary>
    private (string Dir, ResNet18 A, ResNet18 B) Bundle(string name, string? splitSeed)
    {
        var dir = Path.Combine(_dir, name);
        Directory.CreateDirectory(dir);
        var a = new ResNet18(new ResNetConfig(1, 2, 7, ResNetStem.Small), new RandomStream(1));
        var b = new ResNet18(new ResNetConfig(1, 3, 7), new RandomStream(2));
        var extra = splitSeed is null ? null : new Dictionary<string, string> { [DefaultModelBundle.VisualSplitSeedKey] = splitSeed };
        DecisionFusionWriter.Save(Path.Combine(dir, "model.safetensors"), LabelSpaces.Fer7, null,
            new VisualBranchParts(new Aver.Tensors.Nn.Ensemble([a, b]), LabelSpaces.Fer7, new Aver.Data.Pipelines.FaceInput(48, 0.5f, 0.25f),
                new Aver.Models.Calibration.BranchCalibration(1, 1)), extra: extra, dtype: Aver.Tensors.IO.SafeTensorsDType.F32);
        return (dir, a, b);
    }

    [Fact]
    public void A_bundle_brings_each_visual_network_with_its_face_input_and_split_seed()
    {
        var (dir, a, b) = Bundle("with-seed", "1");
        var networks = FerNetwork.LoadAll(dir);
        Assert.Equal(2, networks.Count);
        Assert.Equal([2, 3], networks.Select(n => n.Network.Config.Width));
        Assert.Equal(ResNetStem.Small, networks[0].Network.Config.Stem);
        Assert.All(networks, n => Assert.Equal("1", n.SplitSeed));
        Assert.All(networks, n => Assert.Equal((0.5f, 0.25f), (n.PixelMean, n.PixelStd)));
        Assert.EndsWith("#visual.1", networks[1].Path);
        // The weights are the bundle's: both networks answer as the ones written.
        var x = Tensor.FromArray(Enumerable.Range(0, 48 * 48).Select(i => MathF.Sin(i * 0.1f)).ToArray(), 1, 1, 48, 48);
        a.Eval(); b.Eval();
        Assert.Equal(b.Forward(x).Data, networks[1].Network.Forward(x).Data);
        Assert.Equal(a.Forward(x).Data, networks[0].Network.Forward(x).Data);
        // One network of a bundle by the name it was given.
        var second = Assert.Single(FerNetwork.LoadAll(networks[1].Path));
        Assert.Equal(b.Forward(x).Data, second.Network.Forward(x).Data);
        Assert.Equal(networks[1].Path, second.Path);
        var e = Assert.Throws<InvalidDataException>(() => FerNetwork.LoadAll(Path.Combine(dir, "model.safetensors") + "#visual.2"));
        Assert.Contains("#visual.0 to #visual.1", e.Message);
        // A pretrain file is still one network.
        var file = Path.Combine(_dir, "one.safetensors");
        b.Save(file, new Dictionary<string, string> { ["width"] = "3", ["labels"] = string.Join(",", LabelSpaces.Fer7.Names), ["pixel_mean"] = "0.5", ["pixel_std"] = "0.25", ["seed"] = "1" });
        Assert.Single(FerNetwork.LoadAll(file));
    }

    [Fact]
    public void A_bundle_that_does_not_record_its_split_seed_cannot_join_an_ensemble()
    {
        var withSeed = FerNetwork.LoadAll(Bundle("with-seed", "1").Dir);
        var without = FerNetwork.LoadAll(Bundle("without", null).Dir);
        var e = Assert.Throws<InvalidDataException>(() => without[0].CheckSameInputAs(withSeed[0]));
        Assert.Contains("(not recorded)", e.Message);
    }
}
