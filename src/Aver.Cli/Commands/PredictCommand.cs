using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Aver.Data.Catalogs;
using Aver.Inference;

namespace Aver.Cli.Commands;

/// <summary>`aver predict FILE|FOLDER...`: the emotion of each clip with class probabilities and a timeline, from the default or a named model.</summary>
public sealed class PredictCommand : CliCommand, IHasFlags
{
    public string[] Flags => ["no-timeline", "one-view"];
    public override string Name => "predict";
    public override string Summary => "tell the emotion of clips (video with audio, audio only, or video only), with a timeline";
    public override string Help => """
        aver predict FILE_OR_FOLDER... [--model PATH] [--only audio|visual] [--fps 4] [--window 1] [--step 0.5] [--one-view]
                     [--no-timeline] [--threads N] [--json]

        For each clip (a folder stands for the audio and video files in it and its subfolders), runs the branches of the model the
        clip has streams for (audio: the default model's log-mel CNN, or MRPN's spectrogram network; visual:
        BlazeFace-tracked face, FER2013 ResNet-18), fuses their calibrated probabilities, and prints the clip's
        label, its class probabilities, each branch's own answer, and a timeline of windows (start, end, label,
        probabilities). The CNN answers a window from the clip length of audio centred on it (the context it was
        trained on), so its timeline resolves emotion to about 3.5 s; MRPN's AM reads 1-s segments. A branch that cannot
        answer says why (no face found, silence only, no such stream); a file that cannot be read is reported on
        standard error and the other files still run. Exit code 1 when any file failed.

        Options:
          --model PATH   a model bundle (.safetensors, or a folder holding one); default models/default/ of the
                         repository (or $AVER_MODEL). Formats: the default decision-fusion model, and the fold
                         bundles `aver evaluate` writes: avef.safetensors (AVEF) and mrpn.safetensors (MRPN AM, VM,
                         N0, N1, N2; the fold's folder may be given)
          --only B       run only branch B (audio or visual)
          --fps F        frames per second the visual branch samples (default 4)
          --window S     timeline window length in seconds (default 1)
          --step S       seconds between timeline windows (default 0.5)
          --no-timeline  clip-level answers only
          --one-view     photos: classify the face crop once instead of averaging its ten-crop views (10x faster)
          --json         {"model": ..., "inputs": [{"folder", "files"}], "clips": [{"file", "label", "probabilities", "branches", "timeline"} | {"file", "error"}]}

        Examples:
          aver predict ../shared/data/ravdess/av/01-01-06-01-01-01-05.mp4
          aver predict ../shared/data/crema-d --json
          aver predict ../shared/data/ravdess/av/01-01-08-01-01-01-04.mp4 --model runs/ravdess-av-n2-cpu/folds/n2-mrpn/04
        """;

    public override int Run(CliArgs args, CliContext ctx)
    {
        bool json = args.Flag("json"), noTimeline = args.Flag("no-timeline");
        var options = Options(args) with { TenCrop = !args.Flag("one-view") };
        string modelPath = args.Option("model") ?? ModelLoader.FindDefault();
        args.EnsureAllUsed();
        if (args.Positionals.Count == 0) throw new UsageException("give at least one clip or folder");

        var (files, found) = Expand(args.Positionals);
        var where = string.Join(", ", found.Select(f => $"{f.Count} under {f.Folder}"));
        foreach (var (folder, count) in found)
            if (count == 0) ctx.Error.WriteLine($"aver predict: {folder}: no audio or video files in it or its subfolders");
        if (files.Count == 0) return 1;
        if (found.Count > 0) ctx.Error.WriteLine($"{files.Count} files to answer ({where}; folders are searched recursively)");
        var model = ModelLoader.Load(modelPath);
        if (!json) ctx.Out.WriteLine($"model: {model.Description}");

        var clock = Stopwatch.StartNew();
        var cpu0 = CpuClock.Now();
        var results = new JsonArray();
        int failed = 0;
        double media = 0;
        var progress = new ProgressLine(ctx.Error, files.Count);
        for (int i = 0; i < files.Count; i++)
        {
            progress.Show(i, files[i]);
            ClipPrediction? p = null;
            string? error = null;
            try { p = model.Predict(files[i], options); }
            catch (Exception e) when (InputErrors.IsInputProblem(e))
            {
                error = e.Message;
            }
            if (p is not null && PredictionJson.Unanswered(files[i], p) is { } unanswered) error = unanswered;
            if (p is not null && !IsFinite(p))
            {
                // NaN is no answer: a model with broken weights or an input it overflows on is a failure of this file.
                error = "the model gave non-finite probabilities (NaN or infinity): no answer";
                p = null;
            }
            if (p is not null) media += p.Duration;
            progress.Clear();
            if (error is not null)
            {
                failed++;
                error = Named(files[i], error);
                ctx.Error.WriteLine($"aver predict: {error}");
                if (json) results.Add(p is null ? PredictionJson.Failure(files[i], error) : PredictionJson.Clip(p, error, !noTimeline));
            }
            else if (json) results.Add(PredictionJson.Clip(p!, null, !noTimeline));
            else ctx.Out.Write(Format(p!, noTimeline));
        }
        double wall = clock.Elapsed.TotalSeconds;
        double? cpu = CpuClock.Now() - cpu0;
        if (json)
        {
            var document = PredictionJson.Document(model, results, failed, media, wall, cpu);
            document["inputs"] = new JsonArray(found.Select(f => (JsonNode)new JsonObject { ["folder"] = f.Folder, ["files"] = f.Count }).ToArray());
            ctx.Out.WriteLine(document.ToJsonString(PredictionJson.Indented));
        }
        else if (files.Count > 1)
            ctx.Out.WriteLine($"{files.Count} files{(found.Count > 0 ? $" ({where}, searched recursively)" : "")}, {failed} failed: {media:F1} s of media in {wall:F1} s ({media / Math.Max(wall, 1e-9):F1}x real time)" +
                              (cpu is double c ? $", {c:F1} CPU-s with the ffmpeg decoders ({media / Math.Max(c, 1e-9):F1}x real time per CPU-second)" : ""));
        return failed > 0 ? 1 : 0;
    }

    /// <summary>--fps, --window, --step and --only as prediction options (shared with `aver live`); a bad value is a usage error.</summary>
    internal static PredictionOptions Options(CliArgs args)
    {
        var options = new PredictionOptions
        {
            VisualFps = args.Double("fps", 4),
            WindowSeconds = args.Double("window", 1),
            WindowStep = args.Double("step", 0.5),
            Only = args.Branches(),
        };
        Valid(options.Validate);
        return options;
    }

    /// <summary>Runs a settings check, turning its out-of-range error into a usage error (its first line).</summary>
    internal static void Valid(Action validate)
    {
        try { validate(); }
        catch (ArgumentOutOfRangeException e) { throw new UsageException(e.Message.Split(Environment.NewLine)[0]); }
    }

    /// <summary>
    /// Files as given, and the audio and video files under each folder (recursive, symbolic links followed once,
    /// sorted), with how many each folder gave.
    /// </summary>
    private static (List<string> Files, List<(string Folder, int Count)> Found) Expand(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        var found = new List<(string, int)>();
        foreach (var p in inputs)
        {
            if (!Directory.Exists(p)) { files.Add(p); continue; }
            int before = files.Count;
            foreach (var f in FileScan.Files(p))
                if (f.SameAs is null && IsMedia(f.FullPath)) files.Add(Path.Join(p, f.RelativePath));
            found.Add((p, files.Count - before));
        }
        return (files, found);
    }

    /// <summary>The message with the file named once at its start (most exceptions name it already).</summary>
    private static string Named(string file, string message) =>
        message.StartsWith(file + ":", StringComparison.Ordinal) ? message : $"{file}: {message}";

    /// <summary>Whether every probability of the prediction (clip, branches, timeline) is a finite number.</summary>
    private static bool IsFinite(ClipPrediction p)
    {
        static bool Finite(ClassProbabilities? c)
        {
            if (c is null) return true;
            foreach (var v in c.Values) if (!float.IsFinite(v)) return false;
            return true;
        }
        if (!Finite(p.Probabilities)) return false;
        foreach (var b in p.Branches) if (!Finite(b.Probabilities)) return false;
        foreach (var t in p.Timeline) if (!Finite(t.Probabilities)) return false;
        return true;
    }

    private static bool IsMedia(string f)
    {
        var ext = Path.GetExtension(f).TrimStart('.').ToLowerInvariant();
        return FileScan.AudioExtensions.Contains(ext) || FileScan.VideoExtensions.Contains(ext);
    }

    private static string Percent(float p) => (100 * p).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Distribution(ClassProbabilities p) =>
        string.Join("  ", p.Space.Names.Select((n, i) => $"{n} {Percent(p.Values[i]),4}"));

    /// <summary>An answered clip as text (failures go to standard error instead).</summary>
    internal static string Format(ClipPrediction p, bool noTimeline)
    {
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        var fused = p.Probabilities!;
        sb.AppendLine(c, $"{p.Path}: {fused.Top.Name} ({Percent(fused.TopProbability)})   {p.Duration:F2} s, answered in {p.ElapsedSeconds:F2} s");
        sb.AppendLine($"  fused    {Distribution(fused)}");
        foreach (var b in p.Branches)
        {
            if (b.Status == BranchStatus.Used && b.Probabilities is { } bp)
            {
                string seen = b.Message ?? $"{b.Steps} {(b.Name == "visual" ? "face frames" : "segments")}";
                sb.AppendLine(c, $"  {b.Name,-8} {Distribution(bp)}   -> {bp.Top.Name}, weight {b.Weight:F2}, {seen}");
            }
            else sb.AppendLine(c, $"  {b.Name,-8} not used: {b.Message}");
        }
        if (!noTimeline && p.Timeline.Count > 0)
        {
            sb.AppendLine("  timeline");
            foreach (var s in p.Timeline)
                sb.AppendLine(c, $"    {s.Start,5:F2}-{s.End,5:F2} s  {s.Probabilities.Top.Name,-9} {Percent(s.Probabilities.TopProbability),4}   {Distribution(s.Probabilities)}  [{string.Join("+", s.Sources)}]");
        }
        sb.AppendLine();
        return sb.ToString();
    }
}

/// <summary>A one-line progress bar on standard error for batches (redrawn in place on a terminal, one line per file otherwise).</summary>
internal sealed class ProgressLine(TextWriter output, int total)
{
    private readonly bool _terminal = !Console.IsErrorRedirected && ReferenceEquals(output, Console.Error);

    public void Show(int done, string file)
    {
        if (total < 2) return;
        const int width = 24;
        int filled = done * width / total;
        var line = $"[{new string('#', filled)}{new string('-', width - filled)}] {done + 1}/{total} {Path.GetFileName(file)}";
        if (_terminal) output.Write("\r" + line.PadRight(Console.WindowWidth > 0 ? Math.Min(Console.WindowWidth - 1, 100) : 100));
        else output.WriteLine(line);
    }

    public void Clear()
    {
        if (total >= 2 && _terminal) output.Write("\r" + new string(' ', 100) + "\r");
    }
}
