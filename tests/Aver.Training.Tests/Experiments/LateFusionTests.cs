using Aver.Training.Tests.Tasks;
using Aver.Data.Catalogs;
using Aver.Models.Mrpn;
using Aver.Models.ResNet;
using Aver.Tensors;
using Aver.Training.Data;
using Aver.Training.Experiments;
using Aver.Training.Tasks;
using Aver.Training.Training;

namespace Aver.Training.Tests.Experiments;

/// <summary>Late fusion as the experiment runs it, grey-to-RGB extractor starts, and which clips MRPN's experiments take.</summary>
public sealed class LateFusionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-late-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LateFusionFreezesTheTrainedUnimodalBranchesWhileTheFusionLearns()
    {
        var branch = new BranchSettings(Width: 4, Channels: 1, Aggregator: AggregatorKind.Lstm, Hidden: 8);
        var s = new MrpnExperimentSettings { Variant = FusionVariant.N2, Strategy = FusionStrategy.LateFusion, Audio = branch, Visual = branch, ScoringHidden = 6, Dropout = 0.2f };
        // Stand-ins for the AM and VM a fold trained: unimodal networks with their own weights, saved like CrossValidation's best.safetensors.
        var am = MrpnModels.Unimodal(branch, 6, 4, 0.2f, new RandomStream(11));
        var vm = MrpnModels.Unimodal(branch, 6, 4, 0.2f, new RandomStream(12));
        string amPath = Path.Combine(_dir, "am.safetensors"), vmPath = Path.Combine(_dir, "vm.safetensors");
        am.Save(amPath);
        vm.Save(vmPath);

        var network = MrpnExperiment.LateFusionNetwork(s, 4, 5, amPath, vmPath);
        Assert.True(network.BranchesFrozen);
        var before = Checkpoint.Snapshot(network);
        var set = MrpnTrainingTests.Clips(16);
        new Trainer<AudioVisualBatch>(new MrpnTask(network), new TrainerOptions { Epochs = 2, BatchSize = 8, LearningRate = 1e-2, Threads = 1 })
            .Fit(ExampleSubset<AudioVisualBatch>.All(set), ExampleSubset<AudioVisualBatch>.All(set));

        var after = network.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Data);
        foreach (var (unimodal, prefix) in new[] { (am, "audio."), (vm, "visual.") })
            foreach (var (name, t) in unimodal.StateDict().Where(kv => kv.Key.StartsWith("branch.")))
            {
                string fused = prefix + name["branch.".Length..];
                Assert.True(t.Data.AsSpan().SequenceEqual(after[fused]), $"{fused} differs from the trained unimodal {name}");
            }
        Assert.Contains(after, kv => kv.Key.StartsWith("fusion.") && !kv.Value.AsSpan().SequenceEqual(before[kv.Key].Data));
    }

    [Fact]
    public void LateFusionFindsTheUnimodalNetworkOfEachFold()
    {
        // Trained in this run: CrossValidation's folds/<row>/<fold>/best.safetensors.
        string own = Path.Combine(_dir, "folds", "am-t", "a1-2", "best.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(own)!);
        File.WriteAllText(own, "");
        Assert.Equal(own, MrpnExperiment.UnimodalWeights(null, _dir, "AM (T)", "A1,2"));
        // Given as an earlier run's model folder, or as one file for every fold.
        Assert.Equal(own, MrpnExperiment.UnimodalWeights(Path.Combine(_dir, "folds", "am-t"), "/elsewhere", "AM (T)", "A1,2"));
        Assert.Equal(own, MrpnExperiment.UnimodalWeights(own, "/elsewhere", "AM (T)", "A3,4"));
        var e = Assert.Throws<FileNotFoundException>(() => MrpnExperiment.UnimodalWeights(null, _dir, "VM (T)", "A1,2"));
        Assert.Contains("fold A1,2", e.Message);
        Assert.Contains(Path.Combine("vm-t", "a1-2"), e.Message);
    }

    [Fact]
    public void AGreyPretrainedExtractorGivesAnRgbExtractorTheSameResponseToAGreyImage()
    {
        string path = Path.Combine(_dir, "fer.safetensors");
        new ResNet18(new ResNetConfig(InChannels: 1, Width: 4, Classes: 7), new RandomStream(3)).Save(path);
        var grey = new ResNet18(new ResNetConfig(InChannels: 1, Width: 4, Classes: 0), new RandomStream(4));
        var rgb = new ResNet18(new ResNetConfig(InChannels: 3, Width: 4, Classes: 0), new RandomStream(5));
        MrpnModels.LoadExtractor(grey, path);
        MrpnModels.LoadExtractor(rgb, path);
        grey.Eval();
        rgb.Eval();
        var x = Tensor.Normal(new RandomStream(6), 0f, 1f, 2, 1, 16, 16);
        var x3 = Tensor.Concat([x, x, x], 1);
        using var _ = GradMode.NoGrad();
        Fixture.AssertClose(grey.Features(x), rgb.Features(x3), "grey vs spread RGB features", 1e-4f, 1e-5f);

        var wide = new ResNet18(new ResNetConfig(InChannels: 1, Width: 8, Classes: 0));
        Assert.Throws<Aver.Tensors.Nn.StateDictException>(() => MrpnModels.LoadExtractor(wide, path));
    }

    [FactRequires(Need.SharedData)]
    public void VideoAndFusionExperimentsTakeEachSpeechTakeWithAVideoOnce()
    {
        var catalog = DatasetReader.Open(TestPaths.Data("ravdess"));
        var av = catalog.Items.Count(i => i.Modality == Modality.AudioVideo);
        var fusion = new MrpnExperiment(new MrpnExperimentSettings { Kind = MrpnModelKind.Fusion }).Select(catalog);
        Assert.Equal(av, fusion.Items.Count);
        Assert.All(fusion.Items, i => Assert.True(i.Modality == Modality.Audio && i.PairedVideo is not null));
        Assert.Equal(av, new MrpnExperiment(new MrpnExperimentSettings { Kind = MrpnModelKind.Video }).Select(catalog).Items.Count);
        var audio = new MrpnExperiment(new MrpnExperimentSettings { Kind = MrpnModelKind.Audio }).Select(catalog);
        Assert.All(audio.Items, i => Assert.Equal(Modality.Audio, i.Modality));
        Assert.True(audio.Items.Count > fusion.Items.Count);
    }
}
