using System.Diagnostics;
using Aver.Cli.Samples;
using Aver.Media;

namespace Aver.Cli.Commands;

/// <summary>`aver sample --out DIR`: makes sample clips from nothing but Debian tools (a drawn face, espeak-ng speech), for `aver predict` to show itself on.</summary>
public sealed class SampleCommand : CliCommand, IHasFlags
{
    public string[] Flags => ["force"];
    private static readonly string[] Made = ["face.png", "speech.wav", "face-speech.mp4", "face.mp4"];

    public override string Name => "sample";
    public override string Summary => "make sample clips (a drawn face, synthetic speech) to try aver predict on";
    public override string Help => """
        aver sample --out DIR [--text "..."] [--force]

        Writes into DIR clips the repository makes itself, so nothing of anyone's face or voice is shipped:
          face.png          a cartoon face drawn by Aver
          speech.wav        TEXT spoken by espeak-ng (installed by ./setup.sh)
          face-speech.mp4   the face with the speech (video with audio)
          face.mp4          the face alone, 3 s (video only)
        A DIR holding other files is refused unless --force (which replaces it whole); one holding only these four
        files (an earlier sample) is replaced. It also checks whether BlazeFace finds the drawn face; if it does not, it says so (the visual branch will then
        report "no face" rather than guess). Needs ffmpeg and espeak-ng.

        Example:
          aver sample --out runs/sample && aver predict runs/sample
        """;

    public override int Run(CliArgs args, CliContext ctx)
    {
        string outDir = args.Option("out") ?? throw new UsageException("--out DIR is required");
        string text = args.Option("text", "I can't believe it, this is the best news I have heard all year!");
        bool force = args.Flag("force");
        args.EnsureAllUsed();
        if (args.Positionals.Count > 0) throw new UsageException($"unexpected argument '{args.Positionals[0]}'");

        using var stage = new StagedFolder(outDir, force || HoldsOnlySamples(outDir));
        var face = CartoonFace.Draw();
        Png.Write(stage.File("face.png"), face);
        Tool("espeak-ng", ["-v", "en-us", "-s", "150", "-w", stage.File("speech.wav"), text], "espeak-ng (apt-get install espeak-ng, or ./setup.sh)");
        // -t, not -shortest: with a looped picture, -shortest lets the video run on past the speech.
        string seconds = Wav.ReadMono(stage.File("speech.wav")).Duration.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
        Tool(FfmpegTools.Ffmpeg, ["-nostdin", "-loglevel", "error", "-y", "-loop", "1", "-framerate", "25", "-i", stage.File("face.png"), "-i", stage.File("speech.wav"),
            "-t", seconds, "-c:v", "libx264", "-tune", "stillimage", "-pix_fmt", "yuv420p", "-c:a", "aac", stage.File("face-speech.mp4")], "ffmpeg (./setup.sh)");
        Tool(FfmpegTools.Ffmpeg, ["-nostdin", "-loglevel", "error", "-y", "-loop", "1", "-framerate", "25", "-i", stage.File("face.png"), "-t", "3",
            "-c:v", "libx264", "-tune", "stillimage", "-pix_fmt", "yuv420p", stage.File("face.mp4")], "ffmpeg (./setup.sh)");
        stage.Commit();

        string faceCheck;
        if (BlazeFaceModelFile.Find() is null) faceCheck = "BlazeFace is not installed (./setup.sh), so whether it finds the drawn face was not checked";
        else
        {
            var found = BlazeFace.Load().Detect(face);
            faceCheck = found.Count > 0
                ? $"BlazeFace finds the drawn face (score {found.Max(f => f.Score):F2}); it is a cartoon, so what the FER2013-trained visual branch makes of its expression is a demonstration, not a measurement"
                : "BlazeFace finds NO face in the drawn picture: the visual branch will report 'no face found' on these clips";
        }
        ctx.Out.WriteLine($"wrote face.png, speech.wav, face-speech.mp4 and face.mp4 to {Path.GetFullPath(outDir)}");
        ctx.Out.WriteLine(faceCheck);
        return 0;
    }

    /// <summary>Whether <paramref name="dir"/> holds nothing but an earlier run's sample files (replacing them loses nothing).</summary>
    private static bool HoldsOnlySamples(string dir) =>
        Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).All(e => Made.Contains(Path.GetFileName(e)) && File.Exists(e));

    /// <summary>Runs an external tool; a missing tool or a failure is an IOException naming it and how to install it.</summary>
    private static void Tool(string exe, IEnumerable<string> args, string install)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(info) ?? throw new IOException($"{exe} did not start"); }
        catch (System.ComponentModel.Win32Exception) { throw new IOException($"{exe} is not installed: {install}"); }
        using (p)
        {
            var err = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new IOException($"{exe} failed (exit {p.ExitCode}): {err.Result.Trim()}");
        }
    }
}
