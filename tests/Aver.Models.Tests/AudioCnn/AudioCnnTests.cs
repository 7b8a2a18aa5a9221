using System.Text.Json.Nodes;
using Aver.Models.AudioCnn;
using Aver.Models.Spec;
using Aver.Tensors;
using Aver.Tensors.IO;
using Aver.Tensors.Nn;

namespace Aver.Models.Tests.AudioCnn;

/// <summary>The compact log-mel CNN (family audio-cnn): built by the registry from a spec, the peer's parameters, crop averaging, files.</summary>
public sealed class AudioCnnTests
{
    private static readonly LabelSpec Eight = new("ravdess8", ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"]);

    private static ModelSpec Spec(AudioCnnArchitecture architecture) =>
        new(AudioCnnArchitecture.Family, ModelSpec.ToJson(architecture), Eight, new Dictionary<string, JsonObject>());

    [Fact]
    public void TheRegistryBuildsThePeersNetworkWithItsParameterNamesAndCount()
    {
        var spec = Spec(new AudioCnnArchitecture());
        var net = Assert.IsType<AudioCnnNetwork>(ModelRegistry.Build(spec, new RandomStream(4)));
        var direct = new AudioCnnArchitecture().Build(8, new RandomStream(4));
        Assert.Equal(direct.StateDict().Select(kv => (kv.Key, kv.Value.Data)), net.StateDict().Select(kv => (kv.Key, kv.Value.Data)));
        var shapes = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Shape.ToArray());
        Assert.Equal([32, 1, 3, 3], shapes["cnn.0.0.weight"]);
        Assert.Equal([128], shapes["cnn.3.1.running_var"]);
        Assert.Equal([8, 128], shapes["fc.weight"]);
        Assert.DoesNotContain("cnn.0.0.bias", shapes.Keys);
        // ravdess-audio-cnn.py: "~0.24 M parameters" = convs 239,904 + batch norms 704 + linear 1,032.
        Assert.Equal(241_640, net.Parameters().Sum(p => p.Size));
        Assert.Equal([2, 8], net.Forward(new Tensor(2, 1, 64, 301)).Shape.ToArray());
    }

    [Fact]
    public void Attention_pooling_with_uniform_scores_is_the_mean_pooling_and_learns_to_weigh_frames()
    {
        var mean = new AudioCnnArchitecture([4, 8]).Build(3, new RandomStream(1));
        var attention = new AudioCnnArchitecture([4, 8], Pooling: "attention").Build(3, new RandomStream(1));
        // The same convolutions and classifier (the attention layer is drawn last), plus the attention's score layer.
        var extra = attention.StateDict().Select(kv => kv.Key).Except(mean.StateDict().Select(kv => kv.Key)).Order().ToList();
        Assert.Equal(["attention.bias", "attention.weight"], extra);
        foreach (var (name, t) in mean.StateDict()) Assert.Equal(t.Data, attention.StateDict().Single(kv => kv.Key == name).Value.Data);
        mean.Eval();
        attention.Eval();
        var x = Tensor.Normal(new RandomStream(3), 0f, 1f, 2, 1, 32, 40);
        var scores = attention.StateDict().Where(kv => kv.Key.StartsWith("attention.", StringComparison.Ordinal)).Select(kv => kv.Value).ToList();

        // Zero scores: every frame weighs 1/T, so the pooled vector is the mean over frequency and time.
        foreach (var t in scores) Array.Clear(t.Data);
        using (GradMode.NoGrad())
            Fixture.AssertClose(mean.Features(x).Data, attention.Features(x).Data, "uniform attention", 1e-5f, 1e-5f);

        // Learned scores move the pooled vector, and the loss reaches the score layer.
        var weight = scores.Single(t => t.Dim(0) == 1 && t.Rank == 2);
        for (int i = 0; i < weight.Size; i++) weight.Data[i] = i % 2 == 0 ? 2f : -1f;
        using (GradMode.NoGrad()) Assert.NotEqual(mean.Features(x).Data, attention.Features(x).Data);
        attention.Train();
        Losses.CrossEntropy(attention.Forward(x), [0, 2]).Backward();
        Assert.Contains(weight.Grad!, g => g != 0);
    }

    [Fact]
    public void The_pooling_is_in_the_spec_and_an_unknown_one_is_refused_naming_the_file()
    {
        var spec = ModelSpec.FromMetadata(Spec(new AudioCnnArchitecture([4, 8], Pooling: "attention")).ToMetadata(), "m");
        var net = Assert.IsType<AudioCnnNetwork>(ModelRegistry.Build(spec, new RandomStream(1)));
        Assert.True(net.Architecture.AttentionPooling);
        Assert.DoesNotContain("pooling", ModelSpec.ToJson(new AudioCnnArchitecture()).ToJsonString());   // files without it keep their bytes
        var e = Assert.Throws<InvalidDataException>(() => new AudioCnnArchitecture(Pooling: "max").Build(8, new RandomStream(1), "m.safetensors"));
        Assert.Equal("m.safetensors: audio-cnn pooling must be one of mean, attention, reslstm, got 'max'", e.Message);
    }

    [Fact]
    public void ResLstmSaHasThePapersParameterCountAndItsSpecRoundTrips()
    {
        // Krasnoproshin and Vashkevich 2026, ResLSTM-SA-h64 on 46 features per frame, 8 classes: 46,772 trainable parameters.
        var paper = new AudioCnnArchitecture([], 0.3f, Pooling: "reslstm", RecurrentHidden: 64, InBands: 46);
        var net = Assert.IsType<AudioCnnNetwork>(ModelRegistry.Build(ModelSpec.FromMetadata(Spec(paper).ToMetadata(), "m"), new RandomStream(1)));
        Assert.Equal(46_772, net.Parameters().Sum(p => p.Size));
        var shapes = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Shape.ToArray());
        Assert.Equal([184, 46], shapes["rnn.lstm1.weight_ih_l0"]);
        Assert.Equal([256, 64], shapes["rnn.lstm2.weight_hh_l0"]);
        Assert.Equal([1, 64], shapes["rnn.attention.weight"]);
        Assert.Equal([8, 64], shapes["fc.weight"]);
        Assert.Equal(46, net.Architecture.InBands);
        Assert.Equal([3, 8], net.Forward(new Tensor(3, 1, 46, 20)).Shape.ToArray());
        Assert.Throws<ShapeException>(() => net.Forward(new Tensor(3, 1, 40, 20)));   // the bands it was built for
        // After conv blocks the frames are the last map's channels (frequency averaged).
        var crnn = new AudioCnnArchitecture([4, 8], Pooling: "reslstm", RecurrentHidden: 5).Build(3, new RandomStream(1));
        Assert.Equal([32, 8], crnn.StateDict().Single(kv => kv.Key == "rnn.lstm1.weight_hh_l0").Value.Shape.ToArray());
        Assert.Equal([2, 5], crnn.Features(new Tensor(2, 1, 16, 24)).Shape.ToArray());
        // No blocks without reslstm, or without the bands, is refused naming the file.
        var e = Assert.Throws<InvalidDataException>(() => new AudioCnnArchitecture([]).Build(8, new RandomStream(1), "m.safetensors"));
        Assert.StartsWith("m.safetensors: audio-cnn widths must be one or more", e.Message);
        e = Assert.Throws<InvalidDataException>(() => new AudioCnnArchitecture([], Pooling: "reslstm").Build(8, new RandomStream(1), "m.safetensors"));
        Assert.Equal("m.safetensors: audio-cnn without conv blocks needs in_bands (the input's frequency bands), got none", e.Message);
    }

    [Fact]
    public void ResLstmSaTellsApartClipsThatDifferOnlyInTheOrderOfTheirFrames()
    {
        // Class 0: a loud band in the first half of the clip, class 1: in the second half. Every clip has the same
        // frames in another order, so mean pooling over time cannot separate them; the recurrent head must.
        var rng = new RandomStream(7);
        const int n = 16, bands = 6, frames = 12;
        var x = new Tensor(n, 1, bands, frames);
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 2;
            for (int b = 0; b < bands; b++)
                for (int t = 0; t < frames; t++)
                    x.Data[(i * bands + b) * frames + t] = 0.1f * (float)(rng.NextDouble() - 0.5) + (b == 2 && (t < frames / 2) == (y[i] == 0) ? 2f : 0f);
        }
        var net = new AudioCnnArchitecture([], 0f, Pooling: "reslstm", RecurrentHidden: 8, InBands: bands).Build(2, new RandomStream(3));
        var optimizer = new Aver.Tensors.Optim.AdamW(net.Parameters(), 1e-2, weightDecay: 0);
        net.Train();
        float first = 0, last = 0;
        for (int step = 0; step < 80; step++)
        {
            optimizer.ZeroGrad();
            var loss = Losses.CrossEntropy(net.Forward(x), y);
            if (step == 0) first = loss.Item();
            last = loss.Item();
            loss.Backward();
            optimizer.Step();
        }
        Assert.True(last < 0.2f * first, $"loss {first} -> {last}");
        net.Eval();
        using var _ = GradMode.NoGrad();
        var scores = net.Forward(x);
        for (int i = 0; i < n; i++) Assert.Equal(y[i], scores.Data[i * 2 + 1] > scores.Data[i * 2] ? 1 : 0);
    }

    [Fact]
    public void ClipScoresAreTheMeanLogitsOfTheirCrops()
    {
        var net = new AudioCnnArchitecture([4, 8], 0.3f).Build(3, new RandomStream(1));
        net.Eval();
        var rng = new RandomStream(2);
        var crops = new Tensor(2, 3, 1, 16, 20);
        rng.FillNormal(crops.Data, 0, 1);
        using var _ = GradMode.NoGrad();
        var scores = net.ForwardCrops(crops);
        Assert.Equal([2, 3], scores.Shape.ToArray());
        var each = net.Forward(crops.Reshape(6, 1, 16, 20));
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
            {
                float mean = (each.Data[(n * 3) * 3 + c] + each.Data[(n * 3 + 1) * 3 + c] + each.Data[(n * 3 + 2) * 3 + c]) / 3;
                Assert.Equal(mean, scores.Data[n * 3 + c], 5);
            }
    }

    [Fact]
    public void AModelFileRoundTripsAndABadArchitectureNamesTheFile()
    {
        var spec = Spec(new AudioCnnArchitecture([4, 8, 8], 0.2f));
        var net = ModelRegistry.Build(spec, new RandomStream(9));
        string path = Path.Combine(Path.GetTempPath(), $"aver-audio-cnn-{Guid.NewGuid():N}.safetensors");
        try
        {
            ModelFile.Save(path, net, spec);
            var (back, loaded) = ModelFile.Load(SafeTensors.Load(path), path);
            Assert.Equal("audio-cnn", back.Family);
            Assert.Equal([4, 8, 8], back.ArchitectureAs<AudioCnnArchitecture>(path).BlockWidths);
            Assert.Equal(net.StateDict().Select(kv => (kv.Key, kv.Value.Data)), loaded.StateDict().Select(kv => (kv.Key, kv.Value.Data)));
            // A network the spec does not describe is refused rather than written.
            Assert.Throws<ArgumentException>(() => ModelFile.Save(path, new AudioCnnArchitecture([4, 8]).Build(8, new RandomStream(1)), spec));
        }
        finally { File.Delete(path); }
        var bad = Assert.Throws<InvalidDataException>(() => ModelRegistry.Build(Spec(new AudioCnnArchitecture([4, 0])), new RandomStream(1), "m.safetensors"));
        Assert.StartsWith("m.safetensors: audio-cnn widths", bad.Message);
    }

    [Fact]
    public void ThreeAdamWStepsFromThePeersInitialWeightsMatchTorch()
    {
        // tools/reference/audio_cnn.py: the peer's Net with widths 4-8, dropout 0, AdamW(1e-3, wd 1e-2), cross-entropy, one fixed batch.
        var fixture = Aver.Testing.Fixture.Load("models/audio_cnn_steps.safetensors").Tensors;
        Dictionary<string, Tensor> Part(string prefix) =>
            fixture.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
        var net = new AudioCnnArchitecture([4, 8], 0f).Build(3, new RandomStream(0));
        net.LoadStateDict(Part("init."), strict: true, source: "audio_cnn_steps init");
        var targets = Array.ConvertAll(fixture["targets"].Data, v => (int)v);
        var optimizer = new Aver.Tensors.Optim.AdamW(net.Parameters(), 1e-3, weightDecay: 1e-2);
        net.Train();
        for (int step = 0; step < 3; step++)
        {
            optimizer.ZeroGrad();
            var loss = Losses.CrossEntropy(net.Forward(fixture["input"]), targets);
            Assert.Equal(fixture["losses"].Data[step], loss.Item(), 4);
            loss.Backward();
            optimizer.Step();
        }
        var final = Part("final.");
        foreach (var (name, value) in net.StateDict())
            Aver.Testing.Fixture.AssertClose(final[name], value, name, rtol: 1e-3f, atol: 1e-5f);
    }
}
