using System.Collections.Concurrent;

namespace Aver.Server;

/// <summary>The web page's files, embedded in this assembly (see the project file), served with a content type and no caching surprises.</summary>
public static class EmbeddedFiles
{
    private static readonly ConcurrentDictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

    /// <summary>The bytes of <c>wwwroot/<paramref name="name"/></c>; throws when the build did not embed it.</summary>
    public static byte[] Read(string name) => Cache.GetOrAdd(name, static n =>
    {
        using var stream = typeof(EmbeddedFiles).Assembly.GetManifestResourceStream("wwwroot/" + n)
                           ?? throw new InvalidOperationException($"wwwroot/{n} is not embedded in {typeof(EmbeddedFiles).Assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>An endpoint handler that answers with the file.</summary>
    public static RequestDelegate Serve(string name, string contentType) => http =>
    {
        var bytes = Read(name);
        http.Response.ContentType = contentType;
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.ContentLength = bytes.Length;
        return http.Response.Body.WriteAsync(bytes).AsTask();
    };
}
