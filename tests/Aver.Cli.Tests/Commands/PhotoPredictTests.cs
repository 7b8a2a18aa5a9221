using System.Diagnostics;
using System.Text.Json;
using Aver.Media;

namespace Aver.Cli.Tests.Commands;

/// <summary>Photos are input like clips: any common format, a face found by BlazeFace or, in a tight crop, the photo taken whole.</summary>
public sealed class PhotoPredictTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aver-photo-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static JsonElement Clip(string output) => JsonDocument.Parse(output).RootElement.GetProperty("clips")[0];

    /// <summary>A frame of a shared RAVDESS clip (a face in a 1280x720 picture) as <paramref name="name"/>, converted by ffmpeg.</summary>
    private string Frame(string name)
    {
        string clip = Directory.GetFiles(TestPaths.Data("ravdess", "av"), "*.mp4").Order(StringComparer.Ordinal).First();
        string path = Path.Combine(_dir, name);
        using var p = Process.Start(new ProcessStartInfo(FfmpegTools.Ffmpeg, ["-v", "error", "-y", "-ss", "1.5", "-i", clip, "-frames:v", "1", path]) { RedirectStandardError = true })!;
        p.WaitForExit();
        Assert.True(File.Exists(path), $"ffmpeg could not write {name}");
        return path;
    }

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void A_photo_in_every_common_format_is_answered_from_the_face_in_it()
    {
        string? label = null;
        foreach (var name in new[] { "frame.png", "frame.jpg", "frame.webp", "frame.bmp", "frame.gif" })
        {
            var (code, output, err) = CliRun.Run("predict", Frame(name), "--json");
            Assert.True(code == 0, $"{name}: {err}");
            var clip = Clip(output);
            label ??= clip.GetProperty("label").GetString();
            Assert.Equal(label, clip.GetProperty("label").GetString());   // the same picture, whatever its format
            var branches = clip.GetProperty("branches").EnumerateArray().ToList();
            Assert.Contains("a face found in the photo", branches.Single(b => b.GetProperty("name").GetString() == "visual").GetProperty("message").GetString());
            Assert.Equal("a photo has no audio", branches.Single(b => b.GetProperty("name").GetString() == "audio").GetProperty("message").GetString());
            Assert.Equal(0, clip.GetProperty("timeline").GetArrayLength());
        }
    }

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void A_tight_face_crop_is_classified_whole_and_the_answer_says_so()
    {
        string fer = Directory.GetFiles(TestPaths.Data("fer2013", "test", "happy"), "*.jpg").Order(StringComparer.Ordinal).First();
        string renamed = Path.Combine(_dir, "no-extension");
        File.Copy(fer, renamed);   // recognised by its content, not its name
        var (code, output, err) = CliRun.Run("predict", renamed, "--json");
        Assert.True(code == 0, err);
        var visual = Clip(output).GetProperty("branches").EnumerateArray().Single(b => b.GetProperty("name").GetString() == "visual");
        var message = visual.GetProperty("message").GetString()!;
        Assert.Contains("classified whole", message);
        Assert.EndsWith("ten-crop averaged", message);

        // --one-view classifies the crop once: another message, other probabilities (the ten views average differently).
        var (oneCode, oneOutput, oneErr) = CliRun.Run("predict", renamed, "--json", "--one-view");
        Assert.True(oneCode == 0, oneErr);
        var one = Clip(oneOutput).GetProperty("branches").EnumerateArray().Single(b => b.GetProperty("name").GetString() == "visual");
        Assert.EndsWith("one view", one.GetProperty("message").GetString());
        static double[] P(JsonElement b) => b.GetProperty("probabilities").EnumerateObject().Select(p => p.Value.GetDouble()).ToArray();
        Assert.True(P(visual).Zip(P(one)).Max(t => Math.Abs(t.First - t.Second)) > 1e-4, "one view answers as the ten views do");
    }

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void A_photo_with_only_the_audio_branch_is_one_clear_error()
    {
        string photo = Frame("frame.png");
        var (code, output, err) = CliRun.Run("predict", photo, "--only", "audio");
        Assert.Equal(1, code);
        Assert.Contains("a photo has no audio", output + err);
    }

    [Fact]
    public void Image_signatures_are_recognised_and_other_bytes_are_not()
    {
        Assert.True(Photo.IsPhoto([0xFF, 0xD8, 0xFF, 0xE0]));
        Assert.True(Photo.IsPhoto("GIF89a......"u8));
        Assert.True(Photo.IsPhoto("RIFF\0\0\0\0WEBPVP8 "u8));
        Assert.False(Photo.IsPhoto("RIFF\0\0\0\0WAVEfmt "u8));   // a WAV is RIFF too
        Assert.False(Photo.IsPhoto("\0\0\0\x18ftypmp42"u8));      // an MP4
        Assert.False(Photo.IsPhoto("not an image"u8));
    }
}
