using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aver.Media;

namespace Aver.Cli.Commands;

/// <summary>
/// `aver faces --bench`: throughput of the face pipeline, per clip and in total, in three nested stages run
/// back to back on each clip (so they see the same machine load): decode only (frames read from ffmpeg's pipe),
/// decode + detect + track, and decode + detect + track + crop (everything `aver faces` does but writing PNGs).
/// Each stage is reported as seconds of media per wall-second and per CPU-second; CPU time is this process plus
/// its finished ffmpeg children (getrusage), which on a shared machine is steadier than wall time.
/// </summary>
internal static class FacesBench
{
    private enum Stage { Decode, Detect, Crop }

    private static readonly string[] StageNames = ["decode", "decode+detect", "decode+detect+crop"];

    private sealed record Measure(int Frames, double VideoSeconds, double Wall, double? Cpu, int WithFace, int Detected);

    public static int Run(IReadOnlyList<string> inputs, FaceTracker tracker, FaceCropOptions crop, VideoFrameOptions decode, bool json, CliContext ctx)
    {
        var clips = inputs.SelectMany<string, string>(p => Directory.Exists(p)
            ? Directory.GetFiles(p).Where(f => Path.GetExtension(f).ToLowerInvariant() is ".mp4" or ".flv" or ".avi" or ".mkv" or ".mov" or ".webm").Order(StringComparer.Ordinal)
            : [p]).ToArray();
        if (clips.Length == 0) throw new UsageException("no video clips in " + string.Join(", ", inputs));
        string load = LoadAverage();
        // JIT and first-run costs out of the timing: one short pass of every stage on the first clip.
        foreach (var s in Enum.GetValues<Stage>()) RunStage(s, clips[0], tracker, crop, decode with { Duration = 0.5 });
        tracker.Detector.Network.Profiling = true;
        var m = new Measure[clips.Length, 3];
        for (int i = 0; i < clips.Length; i++)
        {
            foreach (var s in Enum.GetValues<Stage>()) m[i, (int)s] = RunStage(s, clips[i], tracker, crop, decode);
            if (!json) ctx.Out.WriteLine(Line(Path.GetFileName(clips[i]), Row(m, i)));
        }
        var total = new Measure[3];
        for (int s = 0; s < 3; s++)
        {
            var col = Enumerable.Range(0, clips.Length).Select(i => m[i, s]).ToArray();
            total[s] = new Measure(col.Sum(c => c.Frames), col.Sum(c => c.VideoSeconds), col.Sum(c => c.Wall),
                col.All(c => c.Cpu is not null) ? col.Sum(c => c.Cpu!.Value) : null, col.Sum(c => c.WithFace), col.Sum(c => c.Detected));
        }
        string settings = $"decode at most {decode.MaxSide} px {decode.Color.ToString().ToLowerInvariant()}, detect batch {tracker.Detector.Options.BatchSize}, " +
                          $"detect every {tracker.Options.DetectEvery} frame(s), {crop.Size}px {crop.Style} {crop.Color.ToString().ToLowerInvariant()} crops, " +
                          $"{Aver.Tensors.Engine.Threads} engine threads, {decode.DecoderThreads ?? FfmpegTools.Threads} ffmpeg threads, load average at start {load}";
        if (json)
        {
            var arr = new JsonArray();
            for (int i = 0; i < clips.Length; i++) arr.Add(ToJson(clips[i], Row(m, i)));
            var o = ToJson("total", total);
            o["clips"] = arr;
            o["settings"] = settings;
            ctx.Out.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        ctx.Out.WriteLine(Line($"total ({clips.Length} clips)", total));
        int detected = Math.Max(1, total[(int)Stage.Detect].Detected + total[(int)Stage.Crop].Detected);
        var ops = tracker.Detector.Network.Profile.OrderByDescending(p => p.Value)
            .Select(p => $"{p.Key} {p.Value.TotalMilliseconds / detected:F2}");
        ctx.Out.WriteLine($"detector wall ms per detected frame by operator: {string.Join(", ", ops)}");
        ctx.Out.WriteLine(settings);
        return 0;
    }

    private static Measure[] Row(Measure[,] m, int i) => [m[i, 0], m[i, 1], m[i, 2]];

    private static Measure RunStage(Stage stage, string clip, FaceTracker tracker, FaceCropOptions crop, VideoFrameOptions decode)
    {
        var c0 = CpuClock.Now();
        var clock = Stopwatch.StartNew();
        if (stage == Stage.Decode)
        {
            var reader = MediaDecoder.OpenVideo(clip, decode);
            int frames = 0;
            foreach (var f in reader) { frames++; reader.Recycle(f); }   // as FaceExtraction does
            double wall = clock.Elapsed.TotalSeconds;
            return new Measure(frames, frames / reader.FrameRate.Value, wall, CpuClock.Now() - c0, 0, 0);
        }
        var r = FaceExtraction.Run(clip, tracker, stage == Stage.Crop ? crop : null, decode);
        return new Measure(r.Frames, r.VideoSeconds, clock.Elapsed.TotalSeconds, CpuClock.Now() - c0, r.FramesWithFace, r.FramesDetected);
    }

    private static string Line(string name, Measure[] stages)
    {
        var d = stages[(int)Stage.Crop];
        var parts = stages.Select((s, k) => $"{StageNames[k]} {s.VideoSeconds / s.Wall,5:F1}x wall {s.VideoSeconds / s.Cpu,5:F1}x CPU");
        return $"{name,-26} {d.Frames,5} frames {d.VideoSeconds,6:F2} s | {string.Join(" | ", parts)} | face in {100.0 * d.WithFace / Math.Max(1, d.Frames):F1}% ({d.Detected} detected)";
    }

    private static JsonObject ToJson(string clip, Measure[] stages)
    {
        var o = new JsonObject { ["clip"] = clip, ["frames"] = stages[0].Frames, ["videoSeconds"] = Math.Round(stages[0].VideoSeconds, 3) };
        for (int k = 0; k < 3; k++)
        {
            var s = stages[k];
            o[StageNames[k]] = new JsonObject
            {
                ["wallSeconds"] = Math.Round(s.Wall, 3),
                ["cpuSeconds"] = s.Cpu is double c ? Math.Round(c, 3) : null,
                ["realTimeFactor"] = Math.Round(s.VideoSeconds / s.Wall, 2),
                ["realTimePerCpuSecond"] = s.Cpu is double c2 ? Math.Round(s.VideoSeconds / c2, 2) : null,
            };
        }
        o["faces"] = stages[2].WithFace;
        o["detected"] = stages[2].Detected;
        return o;
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "unknown"; }
        catch (UnauthorizedAccessException) { return "unknown"; }
    }
}
