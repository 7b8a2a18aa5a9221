using System.Text.Json.Nodes;
using Aver.Data.Labels;
using Aver.Inference.Branches;
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
        Assert.Equal(8, Assert.IsType<AudioBranch>(model.Audio).Pool);
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
    public void An_ensemble_visual_branch_loads_back_and_answers_with_its_members_mean_probability()
    {
        using var tmp = new TempFolder();
        var path = TinyBundle.Write(tmp.Path, visualNetworks: 2);
        var spec = Aver.Models.Spec.ModelSpec.FromMetadata(SafeTensors.Load(path).Metadata, path);
        var visualSpec = spec.Architecture["visual"]!.AsObject();
        Assert.Null(visualSpec["network"]);
        Assert.Equal([2, 3], visualSpec["networks"]!.AsArray().Select(n => (int)n!["width"]!));

        var model = Assert.IsType<DecisionFusionModel>(ModelLoader.Load(path, NoTracker));
        var ensemble = Assert.IsType<Ensemble>(model.Visual!.Network);
        Assert.Equal(2, ensemble.Members.Count);
        // Each member rebuilt from its own tensors ("visual.0.", "visual.1."): the branch's softmax is their mean.
        var saved = SafeTensors.Load(path);
        var x = Tensor.Uniform(new RandomStream(6), -1, 1, 3, 1, 48, 48);
        var mean = new float[3 * 7];
        for (int m = 0; m < 2; m++)
        {
            var member = new Aver.Models.ResNet.ResNet18(new Aver.Models.ResNet.ResNetConfig(1, 2 + m, 7));
            string prefix = $"visual.{m}.";
            member.LoadStateDict(saved.Tensors.Where(kv => kv.Key.StartsWith(prefix)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value));
            member.Eval();
            var p = member.Forward(x).Softmax(-1).Data;
            for (int i = 0; i < mean.Length; i++) mean[i] += p[i] / 2;
        }
        var branch = Tensor.FromArray(model.Visual.Logits(x), 3, 7).Softmax(-1).Data;
        Fixture.AssertClose(mean.AsSpan(), branch.AsSpan(), "ensemble probabilities after reload", 1e-5f, 1e-6f);
    }

    [Fact]
    public void A_visual_branch_with_both_one_network_and_an_ensemble_is_refused()
    {
        using var tmp = new TempFolder();
        var path = TinyBundle.Write(tmp.Path, visualNetworks: 2);
        TinyBundle.RewriteSpec(path, spec => spec["architecture"]!["visual"]!["network"] = new JsonObject { ["in_channels"] = 1, ["width"] = 2 });
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path, NoTracker));
        Assert.Contains("exactly one of network and networks", e.Message);
        Assert.Contains(path, e.Message);
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
        TinyBundle.RewriteSpec(path, spec =>
        {
            var six = JsonNode.Parse("{\"space\":\"six\",\"names\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]}")!;
            spec["labels"] = six;
            spec["architecture"]!["visual"]!["labels"] = six.DeepClone();
        });
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path, NoTracker));
        Assert.Contains(path, e.Message);
        Assert.Contains("fc.weight", e.Message);
    }

    [Fact]
    public void A_known_label_space_name_with_other_classes_is_rejected()
    {
        using var tmp = new TempFolder();
        var path = TinyBundle.Write(tmp.Path);
        TinyBundle.RewriteSpec(path, spec => spec["architecture"]!["audio"]!["labels"]!["names"] = new JsonArray("a", "b", "c", "d", "e", "f", "g"));
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path, NoTracker));
        Assert.Contains("label space says fer7", e.Message);
    }

    [Fact]
    public void A_branch_whose_space_cannot_be_mapped_into_the_models_space_is_rejected()
    {
        using var tmp = new TempFolder();
        var path = TinyBundle.Write(tmp.Path);
        // A space of the user's own has no map from the branches' fer7.
        TinyBundle.RewriteSpec(path, spec => spec["labels"] = JsonNode.Parse("{\"space\":\"mood2\",\"names\":[\"calm\",\"tense\"]}"));
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path, NoTracker));
        Assert.Contains("no label map", e.Message);
    }

    [Fact]
    public void The_face_front_end_reads_an_optional_vertical_shift_and_writes_none_when_it_is_zero()
    {
        using var tmp = new TempFolder();
        var path = TinyBundle.Write(tmp.Path);
        var written = JsonNode.Parse(SafeTensors.Load(path).Metadata[Aver.Models.Spec.ModelSpec.MetadataKey])!["front_ends"]!["face"]!.AsObject();
        Assert.False(written.ContainsKey("vertical_shift"));   // models made before the member existed keep their spec bytes
        var plain = Assert.IsType<DecisionFusionModel>(ModelLoader.Load(path, NoTracker)).Visual!;
        Assert.Equal(0f, plain.Input.CropOptions.VerticalShift);
        Assert.Equal(0.2f, plain.Input.Margin);

        TinyBundle.RewriteSpec(path, spec => spec["front_ends"]!["face"]!["vertical_shift"] = -0.075);
        var shifted = Assert.IsType<DecisionFusionModel>(ModelLoader.Load(path, NoTracker)).Visual!;
        Assert.Equal(-0.075f, shifted.Input.VerticalShift);
        Assert.Equal(-0.075f, shifted.Input.CropOptions.VerticalShift);
        Assert.Equal(-0.075f, System.Text.Json.JsonSerializer.SerializeToNode(shifted.Input, MetadataJson.Options)!["vertical_shift"]!.GetValue<float>());

        TinyBundle.RewriteSpec(path, spec => spec["front_ends"]!["face"]!["vertical_shift"] = 0.9);
        Assert.Contains("vertical_shift", Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path, NoTracker)).Message);
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
        TinyBundle.RewriteSpec(path, spec => spec["front_ends"]!["audio"]!.AsObject().Remove("pool"));
        Assert.Contains("front_ends.audio.pool", Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path, NoTracker)).Message);
    }

    /// <summary>The flat keys the decision-fusion layout before the model spec held for <see cref="TinyBundle"/>'s model.</summary>
    private static Dictionary<string, string> V1Metadata()
    {
        string fer7 = string.Join(",", LabelSpaces.Fer7.Names);
        return new()
        {
            ["format"] = "aver-decision-fusion", ["format_version"] = "1", ["label_space"] = "fer7", ["labels"] = fer7, ["branches"] = "audio,visual",
            ["audio.architecture"] = "mrpn-am", ["audio.label_space"] = "fer7", ["audio.labels"] = fer7, ["audio.temperature"] = "1.5", ["audio.weight"] = "0.4",
            ["audio.width"] = "2", ["audio.pool"] = "8", ["audio.aggregator"] = "lstm", ["audio.hidden"] = "8", ["audio.scoring_hidden"] = "8",
            ["visual.architecture"] = "resnet18", ["visual.label_space"] = "fer7", ["visual.labels"] = fer7, ["visual.temperature"] = "0.8", ["visual.weight"] = "0.6",
            ["visual.width"] = "2", ["visual.in_channels"] = "1", ["visual.input_size"] = "48", ["visual.pixel_mean"] = "0.5", ["visual.pixel_std"] = "0.25",
            ["trained_on"] = "nothing: random weights",
        };
    }

    [Fact]
    public void A_file_of_the_earlier_layout_loads_and_upgrades_to_the_same_answers()
    {
        using var tmp = new TempFolder();
        var path = TinyBundle.Write(tmp.Path);
        var current = (DecisionFusionModel)ModelLoader.Load(path, NoTracker);
        string old = tmp.File("v1.safetensors"), upgraded = tmp.File("upgraded.safetensors");
        SafeTensors.Save(old, SafeTensors.Load(path).Tensors, V1Metadata());
        var x = Tensor.Uniform(new RandomStream(7), -1, 1, 2, 1, 48, 48);
        var v1 = (DecisionFusionModel)ModelLoader.Load(old, NoTracker);
        Assert.Equal(current.AudioCalibration, v1.AudioCalibration);
        Assert.Equal(current.Visual!.Input, v1.Visual!.Input);
        Assert.Equal(current.Visual.Logits(x), v1.Visual.Logits(x));

        Assert.True(ModelUpgrade.Upgrade(old, upgraded));
        Assert.False(ModelUpgrade.Upgrade(upgraded, tmp.File("again.safetensors")));
        var spec = Aver.Models.Spec.ModelSpec.FromMetadata(SafeTensors.Load(upgraded).Metadata, upgraded);
        Assert.Equal("nothing: random weights", spec.Extra!["trained_on"]);
        var up = (DecisionFusionModel)ModelLoader.Load(upgraded, NoTracker);
        Assert.Equal(current.Visual.Logits(x), up.Visual!.Logits(x));
        Assert.Equal(current.VisualCalibration, up.VisualCalibration);
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
