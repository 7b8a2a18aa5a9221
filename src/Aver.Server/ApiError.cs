namespace Aver.Server;

/// <summary>
/// A request the server answers with an error: the HTTP status and the one-line message (the same the CLI prints for
/// the same problem). Thrown by the request's steps and written as <c>{"error": message}</c> by <see cref="PredictEndpoint"/>.
/// </summary>
public sealed class ApiError(int status, string message, TimeSpan? retryAfter = null) : Exception(message)
{
    /// <summary>The HTTP status code.</summary>
    public int Status { get; } = status;

    /// <summary>For 503: when the client may try again.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Writes <c>{"error": ..., "status": ...}</c> with the status (and Retry-After) to <paramref name="http"/>.</summary>
    public Task WriteAsync(HttpContext http)
    {
        http.Response.StatusCode = Status;
        if (RetryAfter is { } wait) http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString();
        return http.Response.WriteAsJsonAsync(new ErrorBody(Message, Status));
    }
}

/// <summary>The body of every error answer.</summary>
public sealed record ErrorBody(string Error, int Status);
