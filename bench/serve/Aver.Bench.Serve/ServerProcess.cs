using System.Diagnostics;
using System.Globalization;

namespace Aver.Bench.Serve;

/// <summary>`./aver serve` as a child process, with its resident memory (VmRSS from /proc) sampled every 100 ms for the peak.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Timer _sampler;
    private double _peak;

    private ServerProcess(Process process)
    {
        _process = process;
        _sampler = new Timer(_ => { var rss = RssMegabytes; if (rss > Volatile.Read(ref _peak)) Volatile.Write(ref _peak, rss); }, null, 0, 100);
    }

    public static ServerProcess Start(string root, int port, int workers, int queue)
    {
        var psi = new ProcessStartInfo(Path.Combine(root, "aver"), ["serve", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--workers", workers.ToString(CultureInfo.InvariantCulture), "--queue", queue.ToString(CultureInfo.InvariantCulture)])
        { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };   // one log line per request: not kept
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return new ServerProcess(p);
    }

    public async Task WaitReadyAsync(LoadClient client)
    {
        for (int i = 0; i < 600; i++)
        {
            if (_process.HasExited) throw new InvalidOperationException($"aver serve exited with code {_process.ExitCode}");
            if (await client.HealthyAsync()) return;
            await Task.Delay(500);
        }
        throw new TimeoutException("aver serve did not answer /healthz within 5 minutes");
    }

    /// <summary>The server's resident set now, in MB (ffmpeg children not included: they are separate processes).</summary>
    public double RssMegabytes
    {
        get
        {
            try
            {
                var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
            catch (IOException) { return 0; }
        }
    }

    public double PeakMegabytes => Volatile.Read(ref _peak);

    public void ResetPeak() => Volatile.Write(ref _peak, RssMegabytes);

    public void Dispose()
    {
        _sampler.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();   // this process's own child, by its id
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
