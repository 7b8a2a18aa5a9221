using Aver.Training.Recipes;
using Aver.Training.Training;

namespace Aver.Training.Tests.Recipes;

public class ModelCardTests
{
    private static readonly BranchValidation Validation = new("data", 10, 0.5, 1.5, 1.4, 1.1, 7);
    private static readonly EpochMetrics[] History = [new EpochMetrics(1, 1.0, 0.4, 1.2, 0.45, 1e-3, 60)];

    [Fact]
    public void TheCardNamesTheVersionAndCommitThatMadeTheModel()
    {
        var options = new DefaultModelOptions("fer", "ravdess", "out", "work");
        var result = new DefaultModelResult("out/model.safetensors", Validation, Validation, 0.5, 0.5, 0.53, new TrainingResult(History, 1, false), 1_900_000, TimeSpan.FromMinutes(3));
        var card = ModelCard.Write(options, result, 100, 20, "01-14", "15-16");
        Assert.Matches(@"Made by Aver \d+\.\d+\.\d+\S*, commit ([0-9a-f]{7,12}|unknown), with:", card);
    }

    [Fact]
    public void ACardOfAGivenVisualFileDescribesItsNetworkAndTheCommandThatMadeIt()
    {
        var options = new DefaultModelOptions("fer", "ravdess", "out", "work", VisualCheckpoint: "runs/fer.safetensors") { FaceShift = -0.075f };
        var source = new VisualSource(new Aver.Models.ResNet.ResNetConfig(1, 16, 7, Aver.Models.ResNet.ResNetStem.Small), "./aver pretrain fer --stem small", 33, 0.66);
        var result = new DefaultModelResult("out/model.safetensors", Validation, Validation, 0.5, 0.5, 0.65, new TrainingResult(History, 1, false), 1_900_000,
            TimeSpan.FromMinutes(3), source);
        var card = ModelCard.Write(options, result, 100, 20, "01-14", "15-16");
        Assert.Contains("ResNet-18, width 16, small stem (3x3 stride 1, no max pool)", card);
        Assert.Contains("crop centre moved up 0.075 of its side", card);
        Assert.Contains("its best epoch: 33; FER2013 test with ten-crop averaging: 66.0 %", card);
        Assert.Contains("./aver pretrain fer --stem small", card);
        Assert.DoesNotContain("about 30 min", card);
    }

    [Fact]
    public void ACardOfAnEnsembleNamesEveryNetworkAndItsCommandAndNoMembersTestAccuracyAsItsOwn()
    {
        var options = new DefaultModelOptions("fer", "ravdess", "out", "work", VisualCheckpoint: "runs/w32.safetensors") { VisualEnsemble = ["runs/w16.safetensors"] };
        var small = Aver.Models.ResNet.ResNetStem.Small;
        var source = new VisualSource(new Aver.Models.ResNet.ResNetConfig(1, 32, 7, small), "./aver pretrain fer --width 32", 38, 0.70)
        {
            Others = [new VisualSource(new Aver.Models.ResNet.ResNetConfig(1, 16, 7, small), "./aver pretrain fer --width 16", 36, 0.684)],
        };
        var result = new DefaultModelResult("out/model.safetensors", Validation, Validation, 0.5, 0.5, double.NaN, new TrainingResult(History, 1, false), 1_900_000,
            TimeSpan.FromMinutes(3), source);
        var card = ModelCard.Write(options, result, 100, 20, "01-14", "15-16");
        Assert.Contains("ensemble of 2 networks (mean probability): ResNet-18, width 32, small stem (3x3 stride 1, no max pool); ResNet-18, width 16, small stem", card);
        Assert.Contains("./aver pretrain fer --width 32", card);
        Assert.Contains("./aver pretrain fer --width 16   # best epoch 36; FER2013 test with ten-crop 68.4 %", card);
        Assert.Contains("FER2013 test: see `aver score` below", card);
        Assert.DoesNotContain("NaN", card);
    }
}
