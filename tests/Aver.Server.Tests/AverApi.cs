using Aver.Inference;
using Aver.Media;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aver.Server.Tests;

/// <summary>
/// The server in-process (WebApplicationFactory) around the shipped default model, loaded once for every test: 2 workers,
/// a queue of 2 (so 16 concurrent requests must overflow it), uploads up to 8 MB, uploads in a folder the tests can inspect.
/// </summary>
public sealed class AverApi : WebApplicationFactory<AverApi>   // the entry point is the test assembly's: Aver.Server is a library
{
    /// <summary>The shipped default model, loaded once per test run.</summary>
    public static readonly Lazy<IClipModel> Model = new(() => ModelLoader.Load(ModelLoader.FindDefault()));

    public const long MaxUpload = 8_000_000;

    /// <summary>Where this server's upload folders go.</summary>
    public string TempRoot { get; } = Directory.CreateTempSubdirectory("aver-serve-tests-").FullName;

    /// <summary>The request log lines written so far.</summary>
    public StringWriter Log { get; } = new();

    public ServerOptions Options => new() { Workers = 2, QueueLength = 2, MaxUploadBytes = MaxUpload, TempRoot = TempRoot, RequestTimeout = TimeSpan.FromSeconds(60) };

    /// <summary>Files in the server's upload folder now.</summary>
    public int UploadsOnDisk => Services.GetRequiredService<UploadFolder>().Count;

    protected override IHostBuilder CreateHostBuilder() =>
        Host.CreateDefaultBuilder().ConfigureWebHostDefaults(web => web
            .ConfigureServices(s => AverServer.AddServices(s, Options, Model.Value, ModelLoader.FindDefault(), Log))
            .Configure(AverServer.Configure));

    /// <summary>The page is embedded, so any content root does; this one exists (the factory's solution-relative guess does not).</summary>
    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseContentRoot(AppContext.BaseDirectory);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(TempRoot, recursive: true); } catch (IOException) { }
    }
}

/// <summary>All server tests share one model and run one class at a time (two cores: parallel classes would only time each other out).</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<AverApi>
{
    public const string Name = "server";
}
