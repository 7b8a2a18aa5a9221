// Load benchmark of `aver serve`: starts ./aver serve, drives it from C concurrent client loops per clip for a fixed time,
// and prints a Markdown table (requests/s, p50/p95/p99 latency, peak RSS of the server); then a soak run checks memory stays flat.
// Usage: dotnet run --project bench/serve/Aver.Bench.Serve -c Release -- [--seconds 20] [--soak 300] [--workers 2] [--queue 16] [--port 18181]
using System.Diagnostics;
using System.Globalization;
using Aver.Bench.Serve;

var options = BenchArgs.Parse(args);
var root = BenchArgs.RepoRoot();
var data = Path.GetFullPath(Path.Combine(root, "..", "shared", "data"));
if (!Directory.Exists(data)) { Console.Error.WriteLine($"bench: {data} is absent; the benchmark needs the shared clips"); return 1; }
var clips = new[]
{
    new BenchClip("audio: RAVDESS speech wav, 16 kHz, 3.6 s", Path.Combine(data, "ravdess/speech16k/Actor_01/03-01-05-01-01-01-01.wav")),
    new BenchClip("video: RAVDESS 1280x720 H.264 + AAC, 3.3 s", Path.Combine(data, "ravdess/av/01-01-06-01-01-01-05.mp4")),
    new BenchClip("photo: FER2013 48x48 JPEG", Path.Combine(data, "fer2013/test/happy/PrivateTest_10077120.jpg")),
};

using var server = ServerProcess.Start(root, options.Port, options.Workers, options.Queue);
using var client = new LoadClient(new Uri($"http://127.0.0.1:{options.Port}/"));
await server.WaitReadyAsync(client);
foreach (var clip in clips) clip.ExpectedStatus = await client.WarmUpAsync(clip);   // a photo's answer is whatever predict gives (today 422)

var c = CultureInfo.InvariantCulture;
Console.WriteLine($"`aver serve --workers {options.Workers} --queue {options.Queue}`, {options.Seconds} s per cell, {Environment.ProcessorCount} cores, load average {LoadAverage()} at start\n");
Console.WriteLine("| clip | answer | concurrency | requests | failed | req/s | p50 ms | p95 ms | p99 ms | peak RSS MB |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
int failedTotal = 0;
foreach (var clip in clips)
    foreach (int concurrency in new[] { 1, 4, 16 })
    {
        server.ResetPeak();
        var r = await client.RunAsync([clip], concurrency, TimeSpan.FromSeconds(options.Seconds));
        failedTotal += r.Failed;
        Console.WriteLine(string.Create(c, $"| {clip.Name} | {clip.ExpectedStatus} | {concurrency} | {r.Requests} | {r.Failed} | {r.PerSecond:F2} | {r.P(50):F0} | {r.P(95):F0} | {r.P(99):F0} | {server.PeakMegabytes:F0} |"));
    }

if (options.Soak > 0)
{
    Console.WriteLine($"\nSoak: all three clips in turn at concurrency 4 for {options.Soak} s; server RSS every {options.Soak / 10} s (MB):\n");
    server.ResetPeak();
    var samples = new List<double>();
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            samples.Add(server.RssMegabytes);
            try { await Task.Delay(TimeSpan.FromSeconds(options.Soak / 10.0), sampling.Token); } catch (TaskCanceledException) { }
        }
    });
    var soak = await client.RunAsync(clips, 4, TimeSpan.FromSeconds(options.Soak));
    sampling.Cancel();
    await sampler;
    samples.Add(server.RssMegabytes);
    failedTotal += soak.Failed;
    Console.WriteLine(string.Join(" ", samples.Select(s => s.ToString("F0", c))));
    Console.WriteLine(string.Create(c, $"\n{soak.Requests} requests, {soak.Failed} failed, {soak.PerSecond:F2} req/s, p50 {soak.P(50):F0} ms, p99 {soak.P(99):F0} ms; " +
                         $"RSS after the first tenth {samples[1]:F0} MB, at the end {samples[^1]:F0} MB, peak {server.PeakMegabytes:F0} MB; load average {LoadAverage()} at the end"));
}
return failedTotal == 0 ? 0 : 1;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
