using System.Globalization;
using Aver.Inference;
using Aver.Inference.Fusion;
using Aver.Inference.Live;
using Aver.Media;

namespace Aver.Cli.Commands;

/// <summary>`aver live SOURCE`: the emotion of a stream while it plays, a timeline window at a time, then the summary.</summary>
public sealed class LiveCommand : CliCommand, IHasFlags
{
    public string[] Flags => ["realtime"];
    public override string Name => "live";
    public override string Summary => "tell the emotion of a stream while it plays (standard input, a camera, a URL), window by window";
    public override string Help => """
        aver live SOURCE [--json] [--window 1] [--step 0.5] [--fps 4] [--only audio|visual] [--model PATH]
                         [--format FMT] [--realtime] [--stall 10] [--threads N]

        SOURCE is - (a stream on standard input, in any container ffmpeg reads: Matroska, NUT, MPEG-TS, FLV...),
        a file, or anything ffmpeg opens: a URL (rtsp://, http://, srt://) or a device with --format (v4l2 for a
        camera such as /dev/video0, alsa or pulse for a microphone). Each timeline window is answered as soon as the
        stream has played it (the audio branch needs half a second more: its 1-s segments are placed by their
        centres, as in `aver predict`'s timeline), with its latency: seconds between the moment the window's end
        played and the answer. At the end of the stream, on Ctrl-C, or when it stalls or breaks, the summary of the
        whole stream follows (and for a stall or a broken stream the reason, with exit code 1).

        Options:
          --json         one JSON object per line: {"start", "end", "label", "probabilities", "branches", "latency"}
                         per window, then {"summary", "windows", "latency": {"p50", "p95", "max"}, "streams", "problem", "stopped"}
          --window S     timeline window length in seconds (default 1)
          --step S       seconds between windows (default 0.5)
          --fps F        frames per second the visual branch samples (default 4)
          --only B       run only branch B (audio or visual)
          --model PATH   a decision-fusion model (default models/default/ or $AVER_MODEL)
          --format FMT   ffmpeg's input format for a device (v4l2, alsa, pulse, x11grab...)
          --realtime     read a file at its own speed, as a broadcast would arrive (without it a file is read as fast as it decodes)
          --stall S      end when the stream delivers nothing for S seconds (default 10)

        Examples:
          ffmpeg -re -i ../shared/data/ravdess/av/01-01-06-01-01-01-05.mp4 -c copy -f matroska - | aver live - --json
          aver live ../shared/data/ravdess/av/01-01-06-01-01-01-05.mp4 --realtime
          aver live /dev/video0 --format v4l2 --only visual
        """;

    public override int Run(CliArgs args, CliContext ctx)
    {
        bool json = args.Flag("json"), realtime = args.Flag("realtime");
        var options = LiveOptions.From(PredictCommand.Options(args), args.Double("stall", 10));
        PredictCommand.Valid(options.Validate);
        string modelPath = args.Option("model") ?? ModelLoader.FindDefault();
        string? format = args.Option("format");
        args.EnsureAllUsed();
        if (args.Positionals.Count != 1) throw new UsageException("give one source: -, a file, a URL or a device");
        string name = args.Positionals[0];
        if (name == "-" && (format is not null || realtime)) throw new UsageException("--format and --realtime apply to a file or device, not to standard input");

        var source = name == "-" ? LiveSource.FromStream(ctx.Input()) : LiveSource.Open(name, format, realtime);
        if (ModelLoader.Load(modelPath) is not DecisionFusionModel model)
            throw new UsageException($"{modelPath}: aver live runs decision-fusion models (the default model's family); this one answers whole files only (aver predict)");
        var session = new LiveSession(model, options);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.Cancel);
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            if (stop.IsCancellationRequested) return;   // a second Ctrl-C ends the process
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            // The stream is opened (ffmpeg probes its first half-second) while the face detector loads and the networks warm up.
            var opening = Task.Run(() => LiveDecoder.Open(source, session.Decoding));
            try { session.Prepare(); }
            catch
            {
                opening.ContinueWith(t => t.Result.Dispose(), TaskContinuationOptions.OnlyOnRanToCompletion);
                throw;
            }
            using var decoder = opening.GetAwaiter().GetResult();
            if (!json) ctx.Error.WriteLine($"{name}: {decoder.Layout}; model: {model.Description}");
            // One line redrawn in place only where standard output itself is a terminal; a pipe gets a line per window.
            bool redraw = !json && ctx.Interactive && ReferenceEquals(ctx.Out, Console.Out) && !Console.IsOutputRedirected;
            var summary = session.Run(decoder, w => Show(ctx, w, json, redraw), stop.Token);
            if (json) ctx.Out.WriteLine(LiveJson.Summary(summary).ToJsonString());
            else
            {
                if (redraw) ctx.Out.WriteLine();
                ctx.Out.Write(summary.Prediction.Probabilities is null ? $"{name}: no branch could answer ({summary.Prediction.Problem})\n" : PredictCommand.Format(summary.Prediction, noTimeline: true));
                if (summary.LatencyQuantile(0.5) is double p50)
                    ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{summary.Windows} windows, latency p50 {p50:F2} s, p95 {summary.LatencyQuantile(0.95):F2} s, max {summary.LatencyQuantile(1):F2} s"));
            }
            if (summary.Problem is not null) ctx.Error.WriteLine($"aver live: {name}: {summary.Problem}");
            return summary.Problem is null ? 0 : 1;
        }
        finally { Console.CancelKeyPress -= onCtrlC; }
    }

    private static void Show(CliContext ctx, LiveWindow w, bool json, bool redraw)
    {
        if (json) { ctx.Out.WriteLine(LiveJson.Window(w).ToJsonString()); ctx.Out.Flush(); return; }
        var c = CultureInfo.InvariantCulture;
        string answer = w.Fused is { } f
            ? string.Create(c, $"{f.Probabilities.Top.Name,-9} {100 * f.Probabilities.TopProbability,3:0}%  [{string.Join("+", f.Sources)}]")
            : "(no answer: " + string.Join(", ", w.Branches.Select(b => b.Branch)) + " silent or faceless)";
        string line = string.Create(c, $"{w.Window.Start,7:F2}-{w.Window.End,7:F2} s  {answer}  latency {w.Latency:F2} s");
        if (redraw) ctx.Out.Write("\r" + line.PadRight(79));
        else ctx.Out.WriteLine(line);
        ctx.Out.Flush();
    }
}
