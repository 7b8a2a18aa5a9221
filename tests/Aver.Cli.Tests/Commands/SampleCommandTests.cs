using Aver.Media;

namespace Aver.Cli.Tests.Commands;

public class SampleCommandTests
{
    [FactRequires(Need.BlazeFace | Need.EspeakNg)]
    public void The_samples_are_made_and_predict_answers_each_with_the_branches_its_streams_allow()
    {
        var dir = Path.Combine(Path.GetTempPath(), "aver-sample-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, output, err) = CliRun.Run("sample", "--out", dir);
            Assert.True(code == 0, err);
            Assert.Contains("BlazeFace finds the drawn face", output);
            var info = MediaProbe.Probe(Path.Combine(dir, "face-speech.mp4"));
            Assert.True(info.HasAudio && info.HasVideo);
            Assert.InRange(info.Duration!.Value, 1, 10);
            Assert.False(MediaProbe.Probe(Path.Combine(dir, "face.mp4")).HasAudio);

            var (predictCode, predicted, _) = CliRun.Run("predict", dir, "--no-timeline");
            Assert.Equal(0, predictCode);
            Assert.Equal(2, predicted.Split("-> ").Length - 1 - CountOf(predicted, "weight 1.00"));   // face-speech.mp4 fuses two branches
            Assert.Equal(2, CountOf(predicted, "weight 1.00"));                                     // face.mp4 and speech.wav use one each
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    private static int CountOf(string text, string part) => text.Split(part).Length - 1;
}
