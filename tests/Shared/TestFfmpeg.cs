using System.Diagnostics;

namespace Aver.Testing;

/// <summary>Runs the ffmpeg on PATH to make small test inputs (generated clips, images).</summary>
internal static class TestFfmpeg
{
    /// <summary>Runs ffmpeg with <paramref name="args"/> (after -nostdin -y -v error); fails the test on a non-zero exit.</summary>
    public static void Run(params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in (string[])["-nostdin", "-y", "-v", "error", .. args]) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Xunit.Assert.True(p.ExitCode == 0, $"ffmpeg {string.Join(' ', args)} failed: {err.Result}");
    }
}
