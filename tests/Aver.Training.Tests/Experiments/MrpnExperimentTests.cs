using Aver.Data.Catalogs;
using Aver.Data.Protocols;
using Aver.Models.Mrpn;
using Aver.Training.Experiments;
using Aver.Training.Training;

namespace Aver.Training.Tests.Experiments;

public class MrpnExperimentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-am-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [FactRequires(Need.SharedData)]
    public void AudioOnlyNetworkTrainsAndEvaluatesOneActorPairFold()
    {
        // Six actors give fold A1,2 a test pair, a validation pair (A3,4) and a training pair (A5,6);
        // six clips per actor keep this a smoke run.
        var speakers = new HashSet<string> { "01", "02", "03", "04", "05", "06" };
        var all = DatasetReader.Open(TestPaths.Data("ravdess", "speech16k"));
        var picked = all.Items.Where(i => speakers.Contains(i.Speaker!)).GroupBy(i => i.Speaker).SelectMany(g => g.Take(6)).ToHashSet();
        var catalog = all.Where(picked.Contains);
        var plan = ProtocolRegistry.Create("ravdess-pairs").Make(catalog, 1);
        var settings = new MrpnExperimentSettings
        {
            Kind = MrpnModelKind.Audio, Audio = new BranchSettings(Width: 4, Channels: 1, Aggregator: AggregatorKind.Lstm, Hidden: 8), AudioPool = 8, ScoringHidden = 8,
        };
        var options = new TrainerOptions { Epochs = 2, BatchSize = 6, LearningRate = 1e-3, Seed = 3 };
        var experiment = new MrpnExperiment(settings);
        Assert.Equal(catalog.Items.Count, experiment.Select(catalog).Items.Count);
        var result = experiment.Run(plan, new ExperimentContext(_dir, options, Folds: ["A1,2"]));
        var outcome = Assert.Single(result.Rows);
        Assert.Equal("AM (T)", outcome.Name);
        var fold = Assert.Single(outcome.Folds);
        Assert.Equal("A1,2", fold.Fold);
        Assert.Equal(12, fold.Confusion.Total);
        Assert.Equal(2, fold.History!.Count);
        Assert.NotNull(fold.Features);
        Assert.Single(Directory.EnumerateFiles(_dir, Checkpoint.FileName, SearchOption.AllDirectories));
        var best = Assert.Single(Directory.EnumerateFiles(_dir, "best.safetensors", SearchOption.AllDirectories));
        // The fold's bundle sits beside its best weights and holds them, with what predict needs to rebuild the AM.
        string path = Path.Combine(Path.GetDirectoryName(best)!, MrpnExperiment.BundleFileName);
        var (spec, network) = Aver.Models.Spec.ModelFile.Load(Aver.Tensors.IO.SafeTensors.Load(path), path);
        Assert.Equal("AM", spec.ArchitectureAs<Aver.Models.Mrpn.MrpnArchitecture>(path).Network);
        Assert.Equal(catalog.Labels.Names, spec.Labels.Names);
        Assert.Equal(8, Aver.Data.Pipelines.MrpnFrontEnds.FromSpec(spec.FrontEnds, path).AudioPool);
        var weights = Aver.Tensors.IO.SafeTensors.Load(best).Tensors;
        Assert.All(network.StateDict(), kv => Assert.Equal(weights[kv.Key].Data, kv.Value.Data));
    }
}
