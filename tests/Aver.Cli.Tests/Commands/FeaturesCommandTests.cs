using System.Diagnostics;
using System.Text.Json;
using Aver.Cli;
using Aver.Media;

namespace Aver.Cli.Tests.Commands;

/// <summary>`aver features CLIP --png FILE`, run in-process on generated audio.</summary>
public class FeaturesCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "aver-cli-features-tests", Guid.NewGuid().ToString("N"));

    public FeaturesCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CommandLine.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>3 s at 16 kHz: quiet noise, a harmonic "voiced" burst in [1, 2) s, quiet noise.</summary>
    private string MakeWav()
    {
        const int rate = 16000;
        var x = new float[3 * rate];
        var rng = new Aver.Tensors.RandomStream(1);
        rng.FillNormal(x, 0, 0.001f);
        for (int i = rate; i < 2 * rate; i++)
            for (int h = 1; h <= 5; h++) x[i] += 0.1f / h * MathF.Sin(2 * MathF.PI * 180 * h * i / rate);
        var path = Path.Combine(_root, "burst.wav");
        Wav.Write(path, new AudioBuffer(x, rate));
        return path;
    }

    [Fact]
    public void DrawsThePngAndReportsShapesAndSpeech()
    {
        var wav = MakeWav();
        var png = Path.Combine(_root, "out", "burst.png");
        var (code, stdout, stderr) = Run("features", wav, "--png", png, "--json");
        Assert.True(code == 0, stderr);
        var j = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(3.0, j.GetProperty("duration_s").GetDouble(), 3);
        // MRPN: 1-s segments every 0.2 s over 3 s -> 11; AVEF: 298 frames, 64 per segment every 34 -> 7.
        Assert.Equal(11, j.GetProperty("mrpn").GetProperty("segments").GetInt32());
        Assert.Equal(7, j.GetProperty("avef").GetProperty("segments").GetInt32());
        double speech = j.GetProperty("speech_fraction").GetDouble();
        Assert.InRange(speech, 0.25, 0.45); // the 1-s burst of 3 s, plus hang-over
        Assert.Equal(3, j.GetProperty("panels").GetArrayLength());

        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        var image = ImageDecoder.Load(png);
        Assert.Equal(1000, image.Width);
        Assert.True(image.Height > 600);
        // The waveform panel is shaded green where the VAD found speech (the middle second), white elsewhere.
        Assert.Contains(ShadedColumns(image), x => x > 64 + 920 * 0.4 && x < 64 + 920 * 0.6);
        Assert.DoesNotContain(ShadedColumns(image), x => x < 64 + 920 * 0.2);
    }

    // Columns of the waveform panel (rows 52..161 of the figure) showing the speech shading colour.
    private static IEnumerable<int> ShadedColumns(Image image)
    {
        for (int x = 0; x < image.Width; x++)
            for (int y = 36 + 16; y < 36 + 16 + 110; y++)
                if (image[x, y, 0] == 198 && image[x, y, 1] == 232 && image[x, y, 2] == 198) { yield return x; break; }
    }

    [Fact]
    public void PrintsASummaryWithoutPng()
    {
        var (code, stdout, stderr) = Run("features", MakeWav());
        Assert.True(code == 0, stderr);
        Assert.Contains("MRPN: 11 x [1, 256, 250]", stdout);
        Assert.Contains("AVEF: 7 x [3, 64, 64]", stdout);
    }

    [Fact]
    public void MissingFileIsAnErrorNamingIt()
    {
        var missing = Path.Combine(_root, "nope.wav");
        var (code, _, stderr) = Run("features", missing, "--png", Path.Combine(_root, "x.png"));
        Assert.Equal(1, code);
        Assert.Contains(missing, stderr);
        Assert.Contains("not found", stderr);
        Assert.False(File.Exists(Path.Combine(_root, "x.png")));
    }

    [Fact]
    public void NonMediaFileIsAnErrorNamingIt()
    {
        var text = Path.Combine(_root, "notes.mp4");
        File.WriteAllText(text, "these are not the frames you are looking for\n");
        var (code, _, stderr) = Run("features", text);
        Assert.Equal(1, code);
        Assert.Contains(text, stderr);
    }

    [Fact]
    public void VideoWithoutAudioIsAnErrorNamingIt()
    {
        var video = Path.Combine(_root, "silent.mp4");
        using (var p = Process.Start(new ProcessStartInfo(FfmpegTools.Ffmpeg, ["-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=64x48:d=0.5", "-c:v", "mpeg4", video]) { RedirectStandardError = true })!)
            p.WaitForExit();
        Assert.True(File.Exists(video), "ffmpeg could not make the test video");
        var (code, _, stderr) = Run("features", video);
        Assert.Equal(1, code);
        Assert.Contains(video, stderr);
        Assert.Contains("audio", stderr);
    }

    [Fact]
    public void NoClipIsAUsageError()
    {
        var (code, _, stderr) = Run("features", "--png", "x.png");
        Assert.Equal(2, code);
        Assert.Contains("give the clip", stderr);
    }
}
