using Aver.Cli;

namespace Aver.Cli.Tests;

/// <summary>Runs `aver ARGS` in-process and captures the exit code, standard output and standard error.</summary>
internal static class CliRun
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CommandLine.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>Runs `aver ARGS` in-process with <paramref name="input"/> as its standard input, cancelled by <paramref name="cancel"/>.</summary>
    public static (int Code, string Out, string Err) Run(Stream input, CancellationToken cancel, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CommandLine.Run(args, new CliContext(TextWriter.Synchronized(o), TextWriter.Synchronized(e)) { Input = () => input, Cancel = cancel });
        return (code, o.ToString(), e.ToString());
    }
}
