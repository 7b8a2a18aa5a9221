using System.Diagnostics;
using System.Net.Http.Headers;

namespace Aver.Bench.Serve;

/// <summary>C client loops posting clips to /v1/predict for a fixed time: each loop sends its next request when the last is answered.</summary>
internal sealed class LoadClient(Uri server) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server, Timeout = TimeSpan.FromMinutes(5) };

    public async Task<bool> HealthyAsync()
    {
        try { return (await _http.GetAsync("healthz")).IsSuccessStatusCode; }
        catch (HttpRequestException) { return false; }
    }

    /// <summary>Two requests to warm the server up; returns the status of the clip's answer.</summary>
    public async Task<int> WarmUpAsync(BenchClip clip)
    {
        int status = 0;
        for (int i = 0; i < 2; i++) status = (await SendAsync(clip)).Status;
        return status;
    }

    public async Task<LoadResult> RunAsync(IReadOnlyList<BenchClip> clips, int concurrency, TimeSpan duration)
    {
        var latencies = new List<double>();
        int failed = 0;
        var clock = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, concurrency).Select(loop => Task.Run(async () =>
        {
            for (int i = loop; clock.Elapsed < duration; i++)
            {
                var clip = clips[i % clips.Count];
                var (status, ms) = await SendAsync(clip);
                lock (latencies)
                {
                    latencies.Add(ms);
                    if (status != clip.ExpectedStatus) failed++;
                }
            }
        })).ToArray();
        await Task.WhenAll(loops);
        return new LoadResult(latencies, failed, clock.Elapsed.TotalSeconds);
    }

    private async Task<(int Status, double Ms)> SendAsync(BenchClip clip)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var content = new ByteArrayContent(clip.Bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var form = new MultipartFormDataContent { { content, "file", clip.FileName } };
            using var response = await _http.PostAsync("v1/predict", form);
            await response.Content.ReadAsByteArrayAsync();
            return ((int)response.StatusCode, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return (0, clock.Elapsed.TotalMilliseconds); }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Latencies (ms) of one run, its failures (transport errors or a status other than the clip's usual one) and its length.</summary>
internal sealed record LoadResult(List<double> Latencies, int Failed, double Seconds)
{
    public int Requests => Latencies.Count;
    public double PerSecond => Requests / Seconds;

    /// <summary>The <paramref name="percent"/>th percentile latency (nearest rank).</summary>
    public double P(double percent)
    {
        if (Latencies.Count == 0) return double.NaN;
        var sorted = Latencies.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
