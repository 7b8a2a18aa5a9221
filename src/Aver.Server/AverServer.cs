using System.Net;
using Aver.Inference;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aver.Server;

/// <summary>
/// The HTTP API and web page of <c>aver serve</c>: <c>POST /v1/predict</c>, <c>GET /v1/live</c> (WebSocket), <c>GET /v1/model</c>, <c>GET /healthz</c>,
/// <c>GET /openapi.json</c> and the page at <c>/</c>. The model is loaded once by the caller and shared by the workers.
/// </summary>
public sealed class AverServer
{
    private AverServer() { }

    /// <summary>A Kestrel server on <see cref="ServerOptions.Host"/>:<see cref="ServerOptions.Port"/>, ready to <c>Run</c> or <c>StartAsync</c>; request lines go to <paramref name="log"/>.</summary>
    public static WebApplication Build(ServerOptions options, IClipModel model, string modelPath, TextWriter log)
    {
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();   // one line per request from RequestLog instead of the framework's chatter
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // A safety net above the upload limit (multipart framing included); the limit itself is enforced while streaming.
            k.Limits.MaxRequestBodySize = options.MaxUploadBytes + (1 << 20);
            k.Listen(Address(options.Host), options.Port);
        });
        AddServices(builder.Services, options, model, modelPath, log);
        var app = builder.Build();
        Configure(app);
        return app;
    }

    /// <summary>Registers the server's parts; the worker pool and upload folder are disposed with the host.</summary>
    public static void AddServices(IServiceCollection services, ServerOptions options, IClipModel model, string modelPath, TextWriter log)
    {
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton(model);
        services.AddSingleton(new ModelPath(modelPath));
        services.AddSingleton(new RequestLog(log));
        services.AddSingleton(_ => new UploadFolder(options.TempRoot));
        services.AddSingleton(_ => new PredictionWorkers(model, options.Workers, options.QueueLength));
        services.AddSingleton(sp => new UploadReceiver(sp.GetRequiredService<UploadFolder>(), options.MaxUploadBytes));
        services.AddSingleton<PredictEndpoint>();
        services.AddSingleton<LiveEndpoint>();
        services.AddRouting();
    }

    /// <summary>The request log and every endpoint.</summary>
    public static void Configure(IApplicationBuilder app)
    {
        var log = app.ApplicationServices.GetRequiredService<RequestLog>();
        app.Use((http, next) => log.InvokeAsync(http, next));
        app.UseWebSockets();
        app.UseRouting();
        app.UseEndpoints(Map);
    }

    private static void Map(IEndpointRouteBuilder e)
    {
        var services = e.ServiceProvider;
        var model = services.GetRequiredService<IClipModel>();
        var summary = ModelSummary.Of(model, services.GetRequiredService<ModelPath>().Value).ToJsonString(ModelSummary.Json);
        var predict = services.GetRequiredService<PredictEndpoint>();
        e.MapPost("/v1/predict", predict.HandleAsync);
        e.MapGet("/v1/live", services.GetRequiredService<LiveEndpoint>().HandleAsync);
        e.MapGet("/v1/model", () => Results.Text(summary, "application/json; charset=utf-8"));
        e.MapGet("/healthz", () => Results.Json(new { status = "ok", model = model.Description }));
        e.MapGet("/openapi.json", EmbeddedFiles.Serve("openapi.json", "application/json; charset=utf-8"));
        e.MapGet("/", EmbeddedFiles.Serve("index.html", "text/html; charset=utf-8"));
        e.MapGet("/app.js", EmbeddedFiles.Serve("app.js", "text/javascript; charset=utf-8"));
        e.MapGet("/app.css", EmbeddedFiles.Serve("app.css", "text/css; charset=utf-8"));
    }

    /// <summary>The address a started server listens on (with the port actually bound when the option was 0).</summary>
    public static Uri Address(WebApplication app)
    {
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                    ?? throw new InvalidOperationException("the server is not started");
        return new Uri(bound.Replace("[::]", "localhost").Replace("0.0.0.0", "localhost") + "/");
    }

    /// <summary>The address to listen on: an IP, or <c>localhost</c> (loopback).</summary>
    private static IPAddress Address(string host) =>
        host == "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(host, out var ip) ? ip
        : throw new ArgumentException($"--host takes an IP address (127.0.0.1, ::1, 0.0.0.0) or localhost, got '{host}'");

    /// <summary>The path the model was loaded from (for its summary).</summary>
    private sealed record ModelPath(string Value);
}
