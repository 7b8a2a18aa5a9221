using Aver.Data.Pipelines;
using Aver.Media;
using Aver.Models.ResNet;
using Aver.Models.Spec;
using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Training.Pretraining;
using Aver.Training.Training;

namespace Aver.Training.Tests.Pretraining;

/// <summary>`aver pretrain` end to end on a generated FER2013 folder: the recipe, a paused session, the model file.</summary>
public sealed class FerPretrainingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "aver-fer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>48x48 grey PNGs: per class a bright bar at its own row, over noise; 5 training and 2 test images per class.</summary>
    private string GeneratedFer()
    {
        string root = Path.Combine(_dir, "fer2013");
        var rng = new RandomStream(1);
        string[] classes = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];
        foreach (var (split, count) in new[] { ("train", 5), ("test", 2) })
            for (int c = 0; c < classes.Length; c++)
            {
                string folder = Path.Combine(root, split, classes[c]);
                Directory.CreateDirectory(folder);
                for (int i = 0; i < count; i++)
                {
                    var pixels = new byte[48 * 48];
                    for (int k = 0; k < pixels.Length; k++) pixels[k] = (byte)(60 + rng.NextInt(60));
                    for (int y = 4 + 6 * c; y < 8 + 6 * c; y++) for (int x = 8; x < 40; x++) pixels[y * 48 + x] = 230;
                    Png.Write(Path.Combine(folder, $"{i}.png"), new Image(48, 48, 1, pixels));
                }
            }
        return root;
    }

    private PretrainOptions Recipe(string data, string name) => new(data, Path.Combine(_dir, name), Width: 2, Epochs: 2, BatchSize: 8,
        LearningRate: 0.05, ValidationFraction: 0.2, Seed: 5, Threads: 1)
    {
        Stem = ResNetStem.Small, Augmentation = FaceAugmentationKind.Recipe, LabelSmoothing = 0.1f, MixupAlpha = 0.2,
        Optimizer = OptimizerKind.SgdNesterov, Schedule = ScheduleKind.Cosine, WarmupEpochs = 1, EarlyStoppingPatience = null, TenCrop = true,
    };

    [Fact]
    public void ARunSplitOverTwoSessionsWritesTheSameModelFileWithItsSpec()
    {
        string data = GeneratedFer();
        var whole = FerPretraining.Run(Recipe(data, "whole.safetensors"));
        Assert.Null(whole.Paused);
        Assert.NotNull(whole.TenCropAccuracy);

        var first = FerPretraining.Run(Recipe(data, "split.safetensors") with { SessionEpochs = 1 });
        Assert.Equal(1, first.Paused);
        Assert.False(File.Exists(first.ModelPath));
        var second = FerPretraining.Run(Recipe(data, "split.safetensors") with { SessionEpochs = 1 });
        Assert.Null(second.Paused);
        Assert.Equal(whole.TestAccuracy, second.TestAccuracy);
        Assert.Equal(whole.TenCropAccuracy, second.TenCropAccuracy);

        var a = SafeTensors.Load(whole.ModelPath);
        var b = SafeTensors.Load(second.ModelPath);
        foreach (var (name, t) in a.Tensors) Assert.Equal(t.Data, b.Tensors[name].Data);

        var (spec, network) = ModelFile.Load(b, second.ModelPath);
        Assert.Equal(ResNetArchitecture.Family, spec.Family);
        Assert.Equal(new ResNetArchitecture(1, 2, ResNetStem.Small), spec.ArchitectureAs<ResNetArchitecture>(second.ModelPath));
        Assert.Equal("fer7", spec.Labels.Space);
        Assert.IsType<ResNet18>(network);
        var face = System.Text.Json.JsonSerializer.Deserialize<FaceInput>(spec.FrontEnds["face"], MetadataJson.Options)!;
        Assert.Equal(48, face.Size);
        // The flat keys older readers use (MrpnExperimentSettings, DefaultModelRecipe) are still there and agree.
        Assert.Equal(face.PixelMean, float.Parse(b.Metadata["pixel_mean"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2", b.Metadata["width"]);
        Assert.Equal("angry,disgust,fear,happy,sad,surprise,neutral", b.Metadata["labels"]);
        Assert.True(b.Metadata.ContainsKey("test_accuracy"));
    }

    [Fact]
    public void A_split_seed_keeps_the_hold_out_while_the_seed_changes_the_network()
    {
        string data = GeneratedFer();
        string[] Held(PretrainOptions o) => FerPretraining.ValidationItems(o).Select(i => i.Path).Order(StringComparer.Ordinal).ToArray();
        var basis = Recipe(data, "a.safetensors") with { Epochs = 1, WarmupEpochs = 0, TenCrop = false };
        var member = basis with { Output = Path.Combine(_dir, "b.safetensors"), Seed = 6, SplitSeed = 5 };
        Assert.Equal(Held(basis), Held(member));
        Assert.NotEqual(Held(basis), Held(basis with { Seed = 6 }));   // without it, another seed holds out other images

        var a = SafeTensors.Load(FerPretraining.Run(basis).ModelPath);
        var b = SafeTensors.Load(FerPretraining.Run(member).ModelPath);
        Assert.Equal("5", a.Metadata["split_seed"]);
        Assert.Equal("5", b.Metadata["split_seed"]);
        Assert.Equal("6", b.Metadata["seed"]);
        Assert.NotEqual(a.Tensors["conv1.weight"].Data, b.Tensors["conv1.weight"].Data);
        // Both held out the same images, so the default model's recipe takes them as one ensemble.
        Aver.Training.Recipes.FerNetwork.Load(Path.Combine(_dir, "b.safetensors")).CheckSameInputAs(Aver.Training.Recipes.FerNetwork.Load(Path.Combine(_dir, "a.safetensors")));
    }

    [Fact]
    public void A_fine_tune_starts_from_the_given_network_and_refuses_one_of_another_hold_out_or_width()
    {
        string data = GeneratedFer();
        var basis = Recipe(data, "a.safetensors") with { Epochs = 1, WarmupEpochs = 0, TenCrop = false };
        var trained = SafeTensors.Load(FerPretraining.Run(basis).ModelPath);
        // A step too small to move the weights: the fine-tune's SWA keeps the network it started from, not a fresh one.
        var tune = basis with
        {
            Output = Path.Combine(_dir, "tuned.safetensors"), InitFrom = Path.Combine(_dir, "a.safetensors"), Seed = 7, SplitSeed = 5,
            LearningRate = 1e-9, WeightDecay = 0, MixupAlpha = 0, Augmentation = FaceAugmentationKind.None, SwaEpochs = 1,
        };
        var tuned = SafeTensors.Load(FerPretraining.Run(tune).ModelPath);
        var fresh = SafeTensors.Load(FerPretraining.Run(tune with { Output = Path.Combine(_dir, "fresh.safetensors"), InitFrom = null }).ModelPath);
        foreach (var name in new[] { "conv1.weight", "layer4.1.conv2.weight", "fc.weight" })
        {
            var (t, f, a) = (tuned.Tensors[name].Data, fresh.Tensors[name].Data, trained.Tensors[name].Data);
            for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], t[i], 1e-5f);
            Assert.NotEqual(a, f);
        }
        Assert.Contains("a.safetensors", ModelFile.Load(tuned, "tuned").Spec.Extra!["init_from"]);

        var otherHoldOut = Assert.Throws<InvalidDataException>(() => FerPretraining.Run(tune with { Output = Path.Combine(_dir, "x.safetensors"), SplitSeed = 9 }));
        Assert.Contains("a.safetensors", otherHoldOut.Message);
        Assert.Contains("hold-out", otherHoldOut.Message);
        var otherWidth = Assert.Throws<InvalidDataException>(() => FerPretraining.Run(tune with { Output = Path.Combine(_dir, "y.safetensors"), Width = 4 }));
        Assert.Contains("width 2", otherWidth.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "y.safetensors")));
    }
}
