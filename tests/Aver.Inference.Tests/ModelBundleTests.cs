using Aver.Data.Labels;
using Aver.Inference.Fusion;
using Aver.Media;
using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;

namespace Aver.Inference.Tests;

public class ModelBundleTests
{
    private static FaceTracker NoTracker() => throw new InvalidOperationException("the face tracker must not be needed here");

    [Fact]
    public void A_saved_bundle_loads_back_with_its_label_space_calibration_and_weights()
    {
        using var tmp = new TempFolder();
        var path = TinyBundle.Write(tmp.Path);
        var model = Assert.IsType<DecisionFusionModel>(ModelLoader.Load(tmp.Path, NoTracker));   // a folder: finds model.safetensors
        Assert.Equal(LabelSpaces.Fer7, model.Labels);
        Assert.Equal(1.5, model.AudioCalibration.Temperature, 6);
        Assert.Equal(0.6, model.VisualCalibration.Weight, 6);
        Assert.Equal(8, model.Audio!.Pool);
        Assert.Equal(48, model.Visual!.Input.Size);

        // Same weights: the reloaded visual network gives the saved one's scores.
        var saved = SafeTensors.Load(path);
        var x = Tensor.Uniform(new RandomStream(5), -1, 1, 2, 1, 48, 48);
        var reference = new Aver.Models.ResNet.ResNet18(new Aver.Models.ResNet.ResNetConfig(1, 2, 7));
        reference.LoadStateDict(saved.Tensors.Where(kv => kv.Key.StartsWith("visual.")).ToDictionary(kv => kv.Key["visual.".Length..], kv => kv.Value));
        reference.Eval();
        Fixture.AssertClose(reference.Forward(x).Data.AsSpan(), model.Visual.Logits(x).AsSpan(), "visual logits after reload", 1e-5f, 1e-5f);
    }

    [Fact]
    public void Float16_weights_stay_close_to_float32()
    {
        using var tmp = new TempFolder();
        var f32 = ModelLoader.Load(TinyBundle.Write(Path.Combine(tmp.Path, "a")), NoTracker) as DecisionFusionModel;
        var f16 = ModelLoader.Load(TinyBundle.Write(Path.Combine(tmp.Path, "b"), dtype: SafeTensorsDType.F16), NoTracker) as DecisionFusionModel;
        var x = Tensor.Uniform(new RandomStream(6), -1, 1, 3, 1, 48, 48);
        Fixture.AssertClose(f32!.Visual!.Logits(x).AsSpan(), f16!.Visual!.Logits(x).AsSpan(), "fp16 visual logits", 0.02f, 0.02f);
    }

    [Fact]
    public void A_file_with_the_wrong_number_of_classes_for_its_labels_names_the_mismatch()
    {
        using var tmp = new TempFolder();
        var path = TinyBundle.Write(tmp.Path);
        TinyBundle.Rewrite(path, (meta, _) => { meta["label_space"] = meta["visual.label_space"] = "six"; meta["labels"] = meta["visual.labels"] = "a,b,c,d,e,f"; });
        var e = Assert.Throws<StateDictException>(() => ModelLoader.Load(path, NoTracker));
        Assert.Contains(path, e.Message);
        Assert.Contains("fc.weight", e.Message);
    }

    [Fact]
    public void A_known_label_space_name_with_other_classes_is_rejected()
    {
        using var tmp = new TempFolder();
        var path = TinyBundle.Write(tmp.Path);
        TinyBundle.Rewrite(path, (meta, _) => meta["audio.labels"] = "a,b,c,d,e,f,g");
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path, NoTracker));
        Assert.Contains("audio.label_space says fer7", e.Message);
    }

    [Fact]
    public void A_branch_whose_space_cannot_be_mapped_into_the_models_space_is_rejected()
    {
        using var tmp = new TempFolder();
        var path = TinyBundle.Write(tmp.Path);
        // A space of the user's own has no map from the branches' fer7.
        TinyBundle.Rewrite(path, (meta, _) => { meta["label_space"] = "mood2"; meta["labels"] = "calm,tense"; });
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path, NoTracker));
        Assert.Contains("no label map", e.Message);
    }

    [Fact]
    public void Files_that_are_not_bundles_say_what_they_are()
    {
        using var tmp = new TempFolder();
        var bare = tmp.File("bare.safetensors");
        SafeTensors.Save(bare, [new("w", Tensor.Ones(2))], new Dictionary<string, string> { ["architecture"] = "resnet18" });
        Assert.Contains("not an Aver model bundle", Assert.Throws<InvalidDataException>(() => ModelLoader.Load(bare, NoTracker)).Message);

        var other = tmp.File("other.safetensors");
        SafeTensors.Save(other, [new("w", Tensor.Ones(2))], new Dictionary<string, string> { ["format"] = "something-else" });
        Assert.Contains("'something-else' is not one this build reads", Assert.Throws<InvalidDataException>(() => ModelLoader.Load(other, NoTracker)).Message);

        var junk = tmp.File("junk.safetensors");
        File.WriteAllBytes(junk, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        Assert.ThrowsAny<Exception>(() => ModelLoader.Load(junk, NoTracker));
        Assert.Throws<FileNotFoundException>(() => ModelLoader.Load(tmp.File("missing.safetensors"), NoTracker));
    }

    [Fact]
    public void A_missing_metadata_key_is_named()
    {
        using var tmp = new TempFolder();
        var path = TinyBundle.Write(tmp.Path);
        TinyBundle.Rewrite(path, (meta, _) => meta.Remove("audio.pool"));
        Assert.Contains("'audio.pool' is missing", Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path, NoTracker)).Message);
    }

    [Fact]
    public void Other_formats_plug_in_through_the_registry()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("avef.safetensors");
        SafeTensors.Save(path, [new("w", Tensor.Ones(2))], new Dictionary<string, string> { ["format"] = "test-format" });
        ModelLoader.Register("test-format", (file, source, _) => new StubModel(source));
        Assert.Equal(path, Assert.IsType<StubModel>(ModelLoader.Load(path, NoTracker)).Source);
    }

    private sealed class StubModel(string source) : IClipModel
    {
        public string Source => source;
        public LabelSpace Labels => LabelSpaces.Basic6;
        public string Description => "stub";
        public ClipPrediction Predict(string path, PredictionOptions options) => throw new NotSupportedException();
    }
}
