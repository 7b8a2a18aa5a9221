using System.Text.Json;
using Aver.Media;

namespace Aver.Cli.Tests.Commands;

/// <summary>`aver score` on a small corpus made here: folders per class, a file the model refuses, a class it lacks.</summary>
public sealed class ScoreCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-score-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Tone(string folder, string name, float amplitude, float hz)
    {
        int rate = 16000;
        var x = new float[rate * 2];
        for (int i = 0; i < x.Length; i++) x[i] = amplitude * MathF.Sin(2 * MathF.PI * hz * i / rate) * (1 + 0.5f * MathF.Sin(i * 0.001f));
        Directory.CreateDirectory(Path.Combine(_dir, "data", folder));
        Wav.Write(Path.Combine(_dir, "data", folder, name), new AudioBuffer(x, rate));
    }

    [Fact]
    public void A_corpus_is_scored_with_its_map_refusals_and_unmapped_classes_reported()
    {
        Tone("happiness", "a.wav", 0.3f, 330);
        Tone("happiness", "b.wav", 0.3f, 220);
        Tone("sadness", "c.wav", 0.3f, 180);
        Tone("sadness", "silent.wav", 0, 100);
        Tone("boredom", "d.wav", 0.3f, 150);
        string output = Path.Combine(_dir, "report");
        var (code, stdout, err) = CliRun.Run("score", "default", Path.Combine(_dir, "data"), "--out", output, "--json");
        Assert.True(code == 0, err);
        var score = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(3, score.GetProperty("scored").GetInt64());      // a, b, c: the silent file is refused, boredom has no fer7 class
        Assert.Equal(1, score.GetProperty("refused").GetInt32());
        Assert.Equal(1, score.GetProperty("unmapped").GetProperty("boredom").GetInt32());
        Assert.Equal("sad", score.GetProperty("mapping").GetProperty("sad").GetString());   // folder sadness/ is the class sad
        var files = score.GetProperty("files").EnumerateArray().ToList();
        Assert.Contains("silent", files.Single(f => f.GetProperty("file").GetString()!.EndsWith("silent.wav")).GetProperty("refused").GetString());
        double accuracy = score.GetProperty("accuracy").GetDouble();
        int right = files.Count(f => f.GetProperty("predicted").GetString() is { } p && p == f.GetProperty("expected").GetString());
        Assert.Equal(right / 3.0, accuracy, 3);
        // Every answer carries the model's probabilities in its label order (what an ensemble of scores averages):
        // they sum to 1 and their largest is the prediction; a refused file has none.
        var labels = score.GetProperty("modelLabels").EnumerateArray().Select(l => l.GetString()).ToList();
        foreach (var f in files.Where(f => f.GetProperty("predicted").ValueKind == JsonValueKind.String))
        {
            var p = f.GetProperty("probabilities").EnumerateArray().Select(v => v.GetDouble()).ToList();
            Assert.Equal(labels.Count, p.Count);
            Assert.Equal(1.0, p.Sum(), 3);
            Assert.Equal(f.GetProperty("predicted").GetString(), labels[p.IndexOf(p.Max())]);
        }
        Assert.Equal(JsonValueKind.Null, files.Single(f => f.GetProperty("file").GetString()!.EndsWith("silent.wav")).GetProperty("probabilities").ValueKind);
        foreach (var name in new[] { "report.md", "score.json", "confusion.csv", "confusion.png" }) Assert.True(File.Exists(Path.Combine(output, name)), name);
        Assert.Contains("| boredom | — (not scored) |", File.ReadAllText(Path.Combine(output, "report.md")));

        // --map scores boredom as neutral, and leaves happiness out.
        var (refused, _, occupied) = CliRun.Run("score", "default", Path.Combine(_dir, "data"), "--out", output);
        Assert.Equal(1, refused);   // the report folder is not overwritten without --force
        Assert.Contains(output, occupied);
        var (code2, stdout2, _) = CliRun.Run("score", "default", Path.Combine(_dir, "data"), "--out", output, "--json", "--force", "--map", "boredom=neutral,happiness=-");
        Assert.Equal(0, code2);
        var score2 = JsonDocument.Parse(stdout2).RootElement;
        Assert.Equal(2, score2.GetProperty("scored").GetInt64());
        Assert.Equal(2, score2.GetProperty("unmapped").GetProperty("happy").GetInt32());
    }

    [Fact]
    public void A_map_naming_a_class_the_model_lacks_is_refused_before_anything_runs()
    {
        Tone("happiness", "a.wav", 0.3f, 330);
        Tone("sadness", "b.wav", 0.3f, 180);
        string output = Path.Combine(_dir, "report");
        var (code, _, err) = CliRun.Run("score", "default", Path.Combine(_dir, "data"), "--out", output, "--map", "sadness=gloomy");
        Assert.Equal(1, code);
        Assert.Contains("the model has no class 'gloomy'", err);
        Assert.False(Directory.Exists(output));
    }
}
