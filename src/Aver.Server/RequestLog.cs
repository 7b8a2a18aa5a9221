using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Aver.Server;

/// <summary>
/// One JSON line per request on the server's log: id, method, path, upload bytes, media seconds, status, milliseconds.
/// Handlers add what they learn (size, duration) with <see cref="Note"/>; the line is written when the answer is complete.
/// </summary>
public sealed class RequestLog(TextWriter output)
{
    private const string BytesKey = "aver.bytes", MediaKey = "aver.media";
    private long _next;

    /// <summary>Records facts of the request for its log line.</summary>
    public static void Note(HttpContext http, long? bytes = null, double? mediaSeconds = null)
    {
        if (bytes is not null) http.Items[BytesKey] = bytes;
        if (mediaSeconds is not null) http.Items[MediaKey] = mediaSeconds;
    }

    /// <summary>The middleware: numbers the request, sets the X-Request-Id header, and writes its line at the end.</summary>
    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var id = Interlocked.Increment(ref _next).ToString("x6", CultureInfo.InvariantCulture);
        http.Response.Headers["X-Request-Id"] = id;
        var clock = Stopwatch.StartNew();
        bool failed = false;
        try { await next(http); }
        catch { failed = true; throw; }   // the host answers 500; the line says so
        finally
        {
            var line = JsonSerializer.Serialize(new
            {
                time = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture), id, method = http.Request.Method, path = http.Request.Path.Value,
                bytes = http.Items[BytesKey] as long? ?? http.Request.ContentLength ?? 0,
                mediaSeconds = http.Items[MediaKey] is double m ? Math.Round(m, 3) : (double?)null,
                status = failed ? 500 : http.Response.StatusCode, ms = Math.Round(clock.Elapsed.TotalMilliseconds, 1),
            });
            lock (output) output.WriteLine(line);
        }
    }
}
