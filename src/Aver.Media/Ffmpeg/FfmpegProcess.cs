using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Aver.Media;

/// <summary>
/// One ffmpeg/ffprobe subprocess: stdout is read by the caller as a stream (never buffered whole),
/// stderr is collected in the background, and disposing kills a process that is still running
/// (e.g. when a frame enumeration stops early).
/// </summary>
internal sealed class FfmpegProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly string _file;

    /// <summary>Raw bytes ffmpeg writes to stdout (pipe:1).</summary>
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>ffmpeg's stdin, for feeding image bytes (only when started with redirectInput).</summary>
    public Stream Input => _process.StandardInput.BaseStream;

    private FfmpegProcess(Process p, string file, Action<string>? onStderrLine)
    {
        _process = p;
        _file = file;
        _stderr = Task.Run(async () =>
        {
            // Keep the head and tail of stderr only: a damaged file can make ffmpeg log one line per packet.
            var sb = new StringBuilder();
            string? line;
            while ((line = await p.StandardError.ReadLineAsync()) is not null)
            {
                onStderrLine?.Invoke(line);
                if (sb.Length < 16_000) sb.AppendLine(line);
            }
            return sb.ToString();
        });
    }

    /// <summary>Starts <paramref name="exe"/> with <paramref name="args"/>; <paramref name="file"/> is the media file named in errors.</summary>
    /// <param name="onStderrLine">Sees each stderr line as ffmpeg writes it (a live reader learns the stream layout from it).</param>
    public static FfmpegProcess Start(string exe, IEnumerable<string> args, string file, bool redirectInput = false, Action<string>? onStderrLine = null)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            return new FfmpegProcess(Process.Start(psi) ?? throw new MediaException(file, $"could not start {exe}"), file, onStderrLine);
        }
        catch (Win32Exception e)
        {
            throw new MediaException(file, $"cannot run {exe} ({e.Message}); install Debian's ffmpeg package or set AVER_FFMPEG/AVER_FFPROBE", e);
        }
    }

    /// <summary>Waits for exit; returns the exit code and everything ffmpeg wrote to stderr.</summary>
    public (int ExitCode, string Stderr) WaitForExit()
    {
        _process.WaitForExit();
        return (_process.ExitCode, _stderr.GetAwaiter().GetResult());
    }

    /// <summary>Waits for exit and throws a <see cref="MediaException"/> with a clean sentence when ffmpeg failed.</summary>
    public string WaitForSuccess(string? missingStream = null)
    {
        var (code, err) = WaitForExit();
        if (code != 0) throw FfmpegErrors.ToException(_file, err, missingStream);
        return err;
    }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
