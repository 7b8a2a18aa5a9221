using System.Text.Json;

namespace Aver.Cli.Tests;

/// <summary>
/// The shipped default model answers the shared clips as it did before the model spec: tests/fixtures/predict
/// holds what `aver predict --json` printed with the same weights in their earlier file layout (commit 5b71c09).
/// A change of file format, loader or front end that moves a probability shows here.
/// </summary>
public class DefaultModelRegressionTests
{
    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void The_default_model_answers_the_shared_clips_as_before_the_model_spec()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Fixtures, "predict", "default-model-before-spec.json")));
        var expected = fixture.RootElement.GetProperty("clips").EnumerateArray().ToList();
        var files = expected.Select(c => TestPaths.Data(c.GetProperty("file").GetString()!.Split('/'))).ToArray();
        var (code, output, _) = CliRun.Run(["predict", .. files, "--json"]);
        Assert.Equal(0, code);
        var clips = JsonDocument.Parse(output).RootElement.GetProperty("clips").EnumerateArray().ToList();
        Assert.Equal(expected.Count, clips.Count);
        for (int i = 0; i < clips.Count; i++)
        {
            Assert.Equal(expected[i].GetProperty("label").GetString(), clips[i].GetProperty("label").GetString());
            foreach (var p in expected[i].GetProperty("probabilities").EnumerateObject())
                // printed with 4 decimals: equal answers differ by at most the last digit's rounding
                Assert.True(Math.Abs(p.Value.GetDouble() - clips[i].GetProperty("probabilities").GetProperty(p.Name).GetDouble()) <= 1.01e-4,
                    $"{files[i]}: {p.Name} {clips[i].GetProperty("probabilities").GetProperty(p.Name)} (was {p.Value})");
        }
    }
}
