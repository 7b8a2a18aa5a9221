namespace Aver.Cli.Tests.Commands;

public class BuildModelCommandTests
{
    [Theory]
    [InlineData("--audio-width", "4")]
    [InlineData("--audio-epochs", "3")]
    public void An_audio_config_with_settings_of_mrpns_am_is_a_usage_error(string option, string value)
    {
        var (code, _, err) = CliRun.Run("build-model", "--fer", "f", "--ravdess", "r", "--out", "o", "--audio-config", "configs/x.yaml", option, value);
        Assert.NotEqual(0, code);
        Assert.Contains($"{option} sets MRPN's AM", err.Split('\n')[0]);
    }

    [Fact]
    public void An_audio_config_of_another_model_type_is_refused_naming_it_before_any_training()
    {
        string config = Path.Combine(TestPaths.RepoRoot, "configs", "ravdess-audio-am-t-cpu.yaml");
        var (code, _, err) = CliRun.Run("build-model", "--fer", "/nonexistent-fer", "--ravdess", "/nonexistent-ravdess", "--out", Path.GetTempPath(), "--audio-config", config);
        Assert.NotEqual(0, code);
        Assert.Equal($"aver build-model: error: {config}: the audio branch's config must be of model.type audio-cnn, not 'unimodal'", err.Trim());
    }

    [Fact]
    public void Audio_from_a_missing_bundle_is_refused_naming_it_before_any_training()
    {
        var (code, _, err) = CliRun.Run("build-model", "--fer", "/nonexistent-fer", "--ravdess", "/nonexistent-ravdess", "--out", Path.GetTempPath(), "--audio-from", "/nonexistent-bundle");
        Assert.NotEqual(0, code);
        Assert.Equal("aver build-model: error: /nonexistent-bundle: no default-model bundle there (model.safetensors)", err.Trim());
    }

    [Fact]
    public void A_bundles_visual_network_is_used_as_trained_not_pre_trained_into()
    {
        // BUNDLE#visual.N names a network inside a bundle: there is no such file, and it must not be taken for a new
        // checkpoint to pre-train (which would train a fresh network beside the bundle). It is loaded, and the build
        // goes on to calibrate on the FER2013 hold-out, which fails here for want of FER2013.
        string bundle = Path.Combine(TestPaths.RepoRoot, "models", "default", "model.safetensors");
        var (code, output, err) = CliRun.Run("build-model", "--fer", "/nonexistent-fer", "--ravdess", "/nonexistent-ravdess",
            "--out", Path.Combine(Path.GetTempPath(), "aver-bm-member-test"), "--work", Path.Combine(Path.GetTempPath(), "aver-bm-member-work"),
            "--visual", $"{bundle}#visual.0,{bundle}#visual.1");
        Assert.NotEqual(0, code);
        Assert.DoesNotContain("pre-training ResNet-18", output + err);
        Assert.Contains("an ensemble of 2 networks", output + err);
        Assert.Contains("/nonexistent-fer", err);
        Assert.False(Directory.Exists(bundle + "#visual.0.run"));
    }
}
