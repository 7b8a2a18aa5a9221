using Aver.Inference;
using Aver.Server;
using Aver.Tensors;
using Microsoft.Extensions.Hosting;

namespace Aver.Cli.Commands;

/// <summary>`aver serve`: the HTTP API and web page (Aver.Server) around one loaded model.</summary>
public sealed class ServeCommand : CliCommand, IHasFlags
{
    public string[] Flags => ["open"];
    public override string Name => "serve";
    public override string Summary => "an HTTP API and a web page that tell the emotion of uploaded clips";
    public override string Help => """
        aver serve [--port 8080] [--host 127.0.0.1] [--model PATH] [--workers N] [--queue 8] [--max-upload 200MB]
                   [--timeout 120] [--threads N] [--open]

        Loads the model once and answers on http://HOST:PORT/ :
          POST /v1/predict   multipart/form-data field 'file' (video, audio or photo) or the raw body; query only=audio|visual,
                             timeline=false. Answers exactly `aver predict --json` for that clip. Errors are {"error", "status"}:
                             400 empty or malformed, 413 over --max-upload, 415 not media (recognised by probing the content),
                             422 media no branch could answer, 503 queue full (Retry-After), 504 over --timeout.
          GET  /v1/model     label space, branches, format version, model card summary
          GET  /healthz      200 once the model is loaded
          GET  /openapi.json the API's OpenAPI document
          GET  /             a page to drop, pick or record (camera and microphone) a clip and see its answer
        One JSON line per request goes to standard error (id, size, media seconds, status, milliseconds).

        Options:
          --host H        address to bind (default 127.0.0.1: loopback only; the API has no authentication)
          --port P        TCP port (default 8080)
          --model PATH    as for aver predict (default models/default or $AVER_MODEL)
          --workers N     clips analysed at once, sharing the model (default: the core count); kernel threads per
                          worker default to cores / N (--threads overrides)
          --queue N       uploads that may wait for a worker before new ones get 503 (default 8)
          --max-upload S  largest upload, e.g. 200MB, 50MB, 1GiB (default 200MB)
          --timeout S     seconds a request may wait for its answer, queue included (default 120)
          --open          open the page in the desktop's browser (xdg-open) once the server listens

        Examples:
          aver serve --open                   (or open http://127.0.0.1:8080/ yourself)
          curl -F file=@../shared/data/ravdess/av/01-01-06-01-01-01-05.mp4 http://127.0.0.1:8080/v1/predict
          aver serve --host 0.0.0.0 --port 9000 --workers 1
        """;

    public override int Run(CliArgs args, CliContext ctx)
    {
        var options = new ServerOptions
        {
            Host = args.Option("host", "127.0.0.1"),
            Port = args.Int("port", 8080, min: 0, max: 65535),
            Workers = args.Int("workers", Math.Max(1, Environment.ProcessorCount), min: 1, max: 64),
            QueueLength = args.Int("queue", 8, min: 0, max: 10000),
            MaxUploadBytes = Size(args.Option("max-upload", "200MB")),
            RequestTimeout = TimeSpan.FromSeconds(Positive(args.Double("timeout", 120), "--timeout")),
        };
        bool threadsGiven = args.Int("threads", 0) > 0, open = args.Flag("open");
        string modelPath = args.Option("model") ?? ModelLoader.FindDefault();
        args.EnsureAllUsed();
        if (args.Positionals.Count > 0) throw new UsageException($"serve takes no positional arguments, got '{args.Positionals[0]}'");

        // Workers run side by side: each gets its share of the cores, so kernels do not fight over them.
        if (!threadsGiven) Engine.Threads = Math.Max(1, Environment.ProcessorCount / options.Workers);
        var model = ModelLoader.Load(modelPath);
        // Disposing the host at the end removes the upload folder and lets the workers finish what they hold.
        using var app = AverServer.Build(options, model, modelPath, ctx.Error);
        app.Start();
        ctx.Out.WriteLine($"aver serve: {AverServer.Address(app)}  ({options.Workers} workers, queue {options.QueueLength}, " +
                          $"uploads up to {UploadName.Size(options.MaxUploadBytes)}; Ctrl+C stops)\nmodel: {model.Description}");
        ctx.Out.Flush();
        if (open) OpenBrowser(AverServer.Address(app), ctx);
        app.WaitForShutdown();
        return 0;
    }

    /// <summary>Asks the desktop to open <paramref name="url"/>; without one (a server, a container) says where the page is.</summary>
    private static void OpenBrowser(Uri url, CliContext ctx)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("xdg-open", [url.ToString()]) { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            var opener = System.Diagnostics.Process.Start(psi)!;
            // xdg-open lists every browser it could not find: only its verdict matters, and it must not hold up the server.
            _ = opener.StandardOutput.ReadToEndAsync();
            _ = opener.StandardError.ReadToEndAsync();
            opener.WaitForExitAsync().ContinueWith(_ =>
            {
                if (opener.ExitCode != 0) ctx.Error.WriteLine($"aver serve: no browser to open here; open {url} in one");
                opener.Dispose();
            });
        }
        catch (System.ComponentModel.Win32Exception) { ctx.Error.WriteLine($"aver serve: no xdg-open here; open {url} in a browser"); }
    }

    private static long Size(string text)
    {
        try { return ServerOptions.ParseSize(text); }
        catch (FormatException e) { throw new UsageException("--max-upload: " + e.Message); }
    }

    private static double Positive(double value, string name) =>
        value > 0 ? value : throw new UsageException($"{name} must be positive, got {value}");
}
