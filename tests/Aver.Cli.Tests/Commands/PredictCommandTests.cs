using System.Text.Json;
using Aver.Media;

namespace Aver.Cli.Tests.Commands;

public class PredictCommandTests
{
    private static string Tone(string folder, string name, float amplitude)
    {
        int rate = 16000;
        var x = new float[rate * 2];
        for (int i = 0; i < x.Length; i++) x[i] = amplitude * MathF.Sin(2 * MathF.PI * 330 * i / rate) * (1 + 0.5f * MathF.Sin(i * 0.001f));
        var path = Path.Combine(folder, name);
        Wav.Write(path, new AudioBuffer(x, rate));
        return path;
    }

    [Fact]
    public void A_batch_reports_bad_files_and_still_answers_the_others()
    {
        var dir = Directory.CreateTempSubdirectory("aver-predict-").FullName;
        try
        {
            Tone(dir, "a-tone.wav", 0.3f);
            Tone(dir, "b-silence.wav", 0);
            File.WriteAllText(Path.Combine(dir, "c-broken.mp4"), "not a video");
            var (code, output, err) = CliRun.Run("predict", dir, "--json");
            Assert.Equal(1, code);
            var clips = JsonDocument.Parse(output).RootElement.GetProperty("clips");
            Assert.Equal(3, clips.GetArrayLength());
            Assert.False(string.IsNullOrEmpty(clips[0].GetProperty("label").GetString()));
            Assert.Equal(7, clips[0].GetProperty("probabilities").EnumerateObject().Count());
            Assert.True(clips[0].GetProperty("timeline").GetArrayLength() >= 2);
            Assert.Contains("silent", clips[1].GetProperty("error").GetString());
            Assert.Contains("c-broken.mp4", clips[2].GetProperty("error").GetString());
            Assert.Contains("3/3", err);   // the progress line
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_model_file_that_is_not_a_bundle_is_a_clear_error()
    {
        var dir = Directory.CreateTempSubdirectory("aver-predict-").FullName;
        try
        {
            var clip = Tone(dir, "tone.wav", 0.3f);
            var bad = Path.Combine(dir, "bad.safetensors");
            File.WriteAllText(bad, "nonsense");
            var (code, _, err) = CliRun.Run("predict", clip, "--model", bad);
            Assert.Equal(1, code);
            Assert.Contains("bad.safetensors", err);
            Assert.Equal(2, CliRun.Run("predict", clip, "--only", "smell").Code);
        }
        finally { Directory.Delete(dir, true); }
    }
}

public class PredictNoFaceTests
{
    [FactRequires(Need.BlazeFace)]
    public void A_video_without_a_face_says_so_and_the_voice_still_answers()
    {
        var dir = Directory.CreateTempSubdirectory("aver-predict-").FullName;
        try
        {
            var clip = Path.Combine(dir, "blue.mp4");
            var ffmpeg = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(Aver.Media.FfmpegTools.Ffmpeg,
                ["-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=blue:s=160x120:d=2:r=10", "-f", "lavfi", "-i", "sine=f=300:d=2,tremolo=f=3:d=0.9",
                 "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip]))!;
            ffmpeg.WaitForExit();
            Assert.Equal(0, ffmpeg.ExitCode);
            var (code, output, _) = CliRun.Run("predict", clip);
            Assert.Equal(0, code);
            Assert.Contains("visual   not used: no face found in any of the", output);
            Assert.Contains("weight 1.00", output);   // the audio branch alone
            var (codeVisual, _, err) = CliRun.Run("predict", clip, "--only", "visual");
            Assert.Equal(1, codeVisual);
        }
        finally { Directory.Delete(dir, true); }
    }
}
