using System.Text.Json;
using Aver.Media;

namespace Aver.Cli.Tests.Commands;

/// <summary>`aver faces`, run in-process on a real clip (a few frames) and on bad inputs.</summary>
public class FacesCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aver-cli-faces-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void WritesCropsSheetAndTrackAndPrintsJson()
    {
        var clip = Path.Combine(TestPaths.Data("crema-d"), "1001_DFA_ANG_XX.flv");
        var outDir = Path.Combine(_root, "out");
        var (code, stdout, err) = Run("faces", clip, "--out", outDir, "--size", "48", "--style", "avef", "--align", "--fps", "5", "--json");
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(stdout);
        int frames = json.RootElement.GetProperty("frames").GetInt32(), faces = json.RootElement.GetProperty("faces").GetInt32();
        Assert.InRange(frames, 9, 14);   // about 2.3 s at 5 fps
        Assert.Equal(frames, faces);
        Assert.Equal("found", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(faces, Directory.GetFiles(Path.Combine(outDir, "crops"), "*.png").Length);
        Assert.True(File.Exists(Path.Combine(outDir, "contact_sheet.png")));
        var csv = File.ReadAllLines(Path.Combine(outDir, "track.csv"));
        Assert.Equal(frames + 1, csv.Length);
        Assert.StartsWith("frame,time,state,score,x,y,width,height", csv[0]);
        Assert.Empty(Directory.GetDirectories(_root, ".out.*"));   // the staging folder is gone

        // A second clip into the same folder is refused before any decoding: the two clips' crops never mix.
        var (again, _, againErr) = Run("faces", Path.Combine(TestPaths.Data("crema-d"), "1001_DFA_HAP_XX.flv"), "--out", outDir, "--fps", "5");
        Assert.Equal(1, again);
        Assert.Contains($"{outDir} already holds files", againErr);
        Assert.Equal(faces, Directory.GetFiles(Path.Combine(outDir, "crops"), "*.png").Length);
    }

    [FactRequires(Need.BlazeFace | Need.SharedData)]
    public void BenchReportsEachStagePerWallAndCpuSecond()
    {
        var clip = Path.Combine(TestPaths.Data("crema-d"), "1001_DFA_HAP_XX.flv");
        var (code, stdout, err) = Run("faces", clip, "--bench", "--fps", "5", "--detect-every", "2", "--decode-threads", "1", "--json");
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        int frames = root.GetProperty("frames").GetInt32();
        Assert.InRange(frames, 8, 12);   // 1.9 s at 5 fps
        Assert.Equal(frames, root.GetProperty("faces").GetInt32());
        Assert.InRange(root.GetProperty("detected").GetInt32(), frames / 2, frames - 1);
        foreach (var stage in new[] { "decode", "decode+detect", "decode+detect+crop" })
        {
            var s = root.GetProperty(stage);
            Assert.True(s.GetProperty("realTimeFactor").GetDouble() > 0, stage);
            Assert.True(s.GetProperty("wallSeconds").GetDouble() > 0, stage);
        }
        Assert.Single(root.GetProperty("clips").EnumerateArray());
        Assert.Contains("detect every 2 frame(s)", root.GetProperty("settings").GetString());
        (code, _, err) = Run("faces", clip, "--bench", "--detect-every", "0");
        Assert.Equal(2, code);
        Assert.Contains("--detect-every", err);
    }

    [FactRequires(Need.BlazeFace)]
    public void ClipWithoutAFaceWritesNothingAndFails()
    {
        var clip = Path.Combine(_root, "bars.mp4");
        var psi = new System.Diagnostics.ProcessStartInfo("ffmpeg", ["-nostdin", "-y", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1", "-c:v", "mpeg4", clip]);
        System.Diagnostics.Process.Start(psi)!.WaitForExit();
        var outDir = Path.Combine(_root, "none");
        var (code, stdout, err) = Run("faces", clip, "--out", outDir);
        Assert.Equal(1, code);
        Assert.Contains("no face", err);
        Assert.Contains("bars.mp4", err);
        Assert.Contains("10 frames decoded, 0 with a face", stdout);
        Assert.False(Directory.Exists(outDir));
        Assert.Empty(Directory.GetDirectories(_root, ".none.*"));
    }

    [FactRequires(Need.BlazeFace)]
    public void MissingFileAndBadOptionsAreClearErrors()
    {
        var (code, _, err) = Run("faces", Path.Combine(_root, "absent.mp4"), "--out", Path.Combine(_root, "x"));
        Assert.Equal(1, code);
        Assert.Contains("absent.mp4", err);
        Assert.Contains("not found", err);
        Assert.False(Directory.Exists(Path.Combine(_root, "x")));
        (code, _, err) = Run("faces", "clip.mp4", "--out", "x", "--style", "round");
        Assert.Equal(2, code);
        Assert.Contains("--style", err);
        (code, _, err) = Run("faces", "clip.mp4");
        Assert.Equal(2, code);
        Assert.Contains("--out", err);
    }
}
