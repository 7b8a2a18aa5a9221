using System.Diagnostics;
using System.Globalization;
using Aver.Training.Training;

namespace Aver.Cli.Progress;

/// <summary>
/// A progress bar with rate and ETA for work counted in items (batches, files, clips).
/// On a terminal it redraws one line in place (carriage return) at most ten times a second; when the
/// output is a file or a pipe it prints a plain line at every tenth of the work instead, so logs stay
/// readable and short.
/// </summary>
public sealed class ProgressBar
{
    private const int BarWidth = 24;
    private readonly TextWriter _output;
    private readonly bool _interactive;
    private readonly string _label;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDrawMs = -1000;
    private int _lastDecile = -1;
    private int _lineLength;

    /// <param name="output">Where the bar goes (the CLI's error stream, so results on stdout stay clean).</param>
    /// <param name="label">Shown before the bar, e.g. "[A1,2] epoch 3/12".</param>
    /// <param name="total">Items in the whole piece of work (at least 1).</param>
    /// <param name="interactive">Redraw in place (a terminal) rather than print lines.</param>
    public ProgressBar(TextWriter output, string label, int total, bool interactive)
    {
        _output = output;
        _label = label;
        Total = Math.Max(1, total);
        _interactive = interactive;
    }

    /// <summary>Items in the whole piece of work.</summary>
    public int Total { get; }

    /// <summary>Items done so far.</summary>
    public int Done { get; private set; }

    /// <summary>Marks <paramref name="done"/> items finished; <paramref name="status"/> is shown after the ETA (e.g. a running loss).</summary>
    public void Report(int done, string? status = null)
    {
        Done = Math.Clamp(done, 0, Total);
        long now = _clock.ElapsedMilliseconds;
        if (_interactive)
        {
            if (now - _lastDrawMs < 100 && Done < Total) return;
            _lastDrawMs = now;
            var line = Render(status);
            _output.Write('\r' + line + new string(' ', Math.Max(0, _lineLength - line.Length)));
            _lineLength = line.Length;
            _output.Flush();
        }
        else
        {
            int decile = Done * 10 / Total;
            if (decile == _lastDecile || decile == 10) return; // the finishing line comes from Complete
            _lastDecile = decile;
            if (Done > 0) _output.WriteLine(Render(status));
        }
    }

    /// <summary>Ends the bar: on a terminal the line is replaced by <paramref name="summary"/>; otherwise the summary is printed.</summary>
    public void Complete(string summary)
    {
        if (_interactive && _lineLength > 0)
            _output.Write('\r' + new string(' ', _lineLength) + '\r');
        _lineLength = 0;
        _output.WriteLine(summary);
        _output.Flush();
    }

    /// <summary>The bar's text without control characters: label, bar, count, rate, ETA, status.</summary>
    public string Render(string? status = null)
    {
        double seconds = _clock.Elapsed.TotalSeconds;
        int filled = (int)((long)Done * BarWidth / Total);
        var bar = new string('#', filled) + new string('.', BarWidth - filled);
        double rate = seconds > 0 ? Done / seconds : 0;
        string eta = Done > 0 ? PlainTextProgress.FormatSpan(TimeSpan.FromSeconds(seconds * (Total - Done) / Done)) : "?";
        return string.Create(CultureInfo.InvariantCulture,
            $"{_label} [{bar}] {Done}/{Total}  {rate:F1}/s  ETA {eta}{(status is null ? "" : "  " + status)}");
    }
}
