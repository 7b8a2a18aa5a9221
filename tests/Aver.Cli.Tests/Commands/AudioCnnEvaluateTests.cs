using Aver.Media;

namespace Aver.Cli.Tests.Commands;

/// <summary>
/// `aver evaluate` on a model.type audio-cnn config, end to end on generated RAVDESS-named speech (3 actor pairs,
/// tones whose pitch follows the emotion): one fold, one epoch, the fold's model file read back by `aver predict`.
/// </summary>
public sealed class AudioCnnEvaluateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-audio-cnn-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Actors 01-06, emotions neutral/happy/sad/angry, a 1.2-s tone each (pitch by emotion, a little noise by actor).</summary>
    private string Corpus()
    {
        string root = Path.Combine(_dir, "ravdess");
        var rng = new Aver.Tensors.RandomStream(3);
        foreach (int actor in Enumerable.Range(1, 6))
        {
            string folder = Directory.CreateDirectory(Path.Combine(root, $"Actor_{actor:00}")).FullName;
            foreach (int emotion in new[] { 1, 3, 4, 5 })
            {
                var x = new float[19200];
                // a tone per emotion whose loudness rises and falls three times a second, as syllables do (a steady tone is no speech)
                for (int i = 0; i < x.Length; i++)
                    x[i] = (float)(0.4 * (0.55 + 0.45 * Math.Sin(2 * Math.PI * 3 * i / 16000.0)) * Math.Sin(2 * Math.PI * 150 * emotion * i / 16000.0) + 0.02 * (rng.NextDouble() - 0.5));
                Wav.Write(Path.Combine(folder, $"03-01-{emotion:00}-01-01-01-{actor:00}.wav"), new AudioBuffer(x, 16000));
            }
        }
        return root;
    }

    private string Config(string widths = "[4, 4, 4, 8]", string extra = "", string logMel = "")
    {
        string path = Path.Combine(_dir, "cnn.yaml");
        File.WriteAllText(path, $$"""
            name: cnn
            seed: 3
            dataset: { kind: ravdess, path: {{Corpus()}} }
            labels: ravdess8
            protocol: { name: ravdess-pairs }
            model: { type: audio-cnn, dropout: 0.1, audio_cnn: { widths: {{widths}}{{extra}} } }
            training: { epochs: 1, batch_size: 4, learning_rate: 1.0e-3, best_by: accuracy, patience: 0, plateau_patience: 2 }
            features: { log_mel: { mels: 16, clip_seconds: 1.0, crop_seconds: 0.8, eval_hop_seconds: 0.1{{logMel}} } }
            """);
        return path;
    }

    [Fact]
    public void ATinyRunTrainsAFoldWritesItsModelFileAndPredictAnswersWithTheFoldFolder()
    {
        string run = Path.Combine(_dir, "run");
        var (code, stdout, stderr) = CliRun.Run("evaluate", Config(), "--out", run, "--folds", "A1,2");
        Assert.True(code == 0, stderr);
        Assert.Contains("audio-cnn (4-4-4-8) A1,2", stdout);
        string fold = Path.Combine(run, "folds", "audio-cnn-4-4-4-8", "a1-2");
        Assert.True(File.Exists(Path.Combine(fold, "best.safetensors")), string.Join("\n", Directory.GetFiles(run, "*", SearchOption.AllDirectories)));
        Assert.Contains("Log-mel: waveform standardised per clip", File.ReadAllText(Path.Combine(run, "report.md")));

        // The spec carries the network and the fold's band statistics: the folder alone is the model.
        string clip = Path.Combine(_dir, "ravdess", "Actor_01", "03-01-05-01-01-01-01.wav");
        var (pcode, json, perr) = CliRun.Run("predict", clip, "--model", fold, "--json");
        Assert.True(pcode == 0, perr);
        var answer = System.Text.Json.JsonDocument.Parse(json).RootElement;
        Assert.StartsWith("audio CNN 4-4-4-8 over ravdess8 (8 classes) on 16-band log-mel crops", answer.GetProperty("model").GetString());
        var first = answer.GetProperty("clips")[0];
        Assert.Equal(8, first.GetProperty("probabilities").EnumerateObject().Count());
        Assert.Equal("used", first.GetProperty("branches")[0].GetProperty("status").GetString());
        Assert.True(first.GetProperty("timeline").GetArrayLength() >= 1, json);

        // A second run of the same command resumes from the finished checkpoint and reports the same fold.
        var (code2, stdout2, stderr2) = CliRun.Run("evaluate", Path.Combine(_dir, "cnn.yaml"), "--out", run, "--folds", "A1,2");
        Assert.True(code2 == 0, stderr2);
        Assert.Equal(Line(stdout, "A1,2"), Line(stdout2, "A1,2"));
    }

    [Fact]
    public void AResLstmFoldOnMfccsWithoutConvBlocksTrainsAndPredictAnswersWithIt()
    {
        string run = Path.Combine(_dir, "rnn");
        var (code, stdout, stderr) = CliRun.Run("evaluate", Config("[]", ", pooling: reslstm, recurrent_hidden: 6", ", cepstra: 8"), "--out", run, "--folds", "A1,2");
        Assert.True(code == 0, stderr);
        Assert.Contains("audio-cnn (reslstm-6) A1,2", stdout);
        string report = File.ReadAllText(Path.Combine(run, "report.md"));
        Assert.Contains("ResLSTM-SA over time frames (the log-mel bands, residual LSTM 8, BN, LSTM 6", report);
        Assert.Contains("its first 8 DCT-II coefficients (MFCCs)", report);
        string fold = Path.Combine(run, "folds", "audio-cnn-reslstm-6", "a1-2");
        string clip = Path.Combine(_dir, "ravdess", "Actor_01", "03-01-05-01-01-01-01.wav");
        var (pcode, json, perr) = CliRun.Run("predict", clip, "--model", fold, "--json");
        Assert.True(pcode == 0, perr);
        var answer = System.Text.Json.JsonDocument.Parse(json).RootElement;
        Assert.StartsWith("ResLSTM-SA 6 over ravdess8 (8 classes) on 8 MFCCs of 16-band log-mel crops", answer.GetProperty("model").GetString());
        Assert.Equal(8, answer.GetProperty("clips")[0].GetProperty("probabilities").EnumerateObject().Count());
    }

    private static string Line(string text, string key) => text.Split('\n').First(l => l.Contains(key));

    [Theory]
    [InlineData("[4, 0]", "", "model.audio_cnn.widths")]
    [InlineData("[]", "", "model.audio_cnn.widths")]
    [InlineData("[]", ", pooling: reslstm, recurrent_hidden: 0", "model.audio_cnn.recurrent_hidden")]
    [InlineData("[4, 4]", ", speed_perturbation: [0.9, 3.0]", "model.audio_cnn.speed_perturbation")]
    [InlineData("[4, 4]", ", pooling: max", "model.audio_cnn.pooling")]
    [InlineData("[4, 4]", ", noise_snr_db: [50, 10]", "model.audio_cnn.noise_snr_db")]
    [InlineData("[4, 4]", ", noise_snr_db: [10, 50], noise_probability: 0", "model.audio_cnn.noise_probability")]
    [InlineData("[4, 4]", ", codec_kbps: [64, 500]", "model.audio_cnn.codec_kbps")]
    [InlineData("[4, 4]", ", codec_kbps: [64], codec_probability: 1.5", "model.audio_cnn.codec_probability")]
    public void ABadAudioCnnConfigExitsWithOneLineNamingTheKey(string widths, string extra, string key)
    {
        var (code, _, stderr) = CliRun.Run("evaluate", Config(widths, extra), "--out", Path.Combine(_dir, "bad"));
        Assert.Equal(1, code);
        Assert.Contains(key, stderr);
        Assert.Contains("cnn.yaml", stderr);
    }
}
