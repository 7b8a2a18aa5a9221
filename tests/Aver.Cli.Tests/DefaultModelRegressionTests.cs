using System.Text.Json;

namespace Aver.Cli.Tests;

/// <summary>
/// The shipped default model answers the shared clips as it did when it was made: tests/fixtures/predict holds what
/// `aver predict --json` printed with these weights then (the file that checked the model-spec upgrade, commit 5b71c09,
/// gave way to this one when the model was rebuilt on 2026-12-06). A change of file format, loader or front end that
/// moves a probability shows here; a rebuilt model regenerates the fixture.
/// </summary>
public class DefaultModelRegressionTests
{
    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void The_default_model_answers_the_shared_clips_as_when_it_was_made()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Fixtures, "predict", "default-model-answers.json")));
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
