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
}
