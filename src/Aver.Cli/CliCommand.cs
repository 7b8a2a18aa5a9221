namespace Aver.Cli;

/// <summary>One `aver` sub-command. Each lives in its own file under Commands/ and is listed in <see cref="CommandLine.Commands"/>.</summary>
public abstract class CliCommand
{
    /// <summary>The word after `aver`.</summary>
    public abstract string Name { get; }

    /// <summary>One line for `aver --help`.</summary>
    public abstract string Summary { get; }

    /// <summary>Usage, options and at least one example, shown by `aver NAME --help`.</summary>
    public abstract string Help { get; }

    /// <summary>Runs the command; returns the process exit code.</summary>
    public abstract int Run(CliArgs args, CliContext context);
}

/// <summary>Where a command writes: results to Out, progress and warnings to Error.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error);

/// <summary>A command-line usage error: printed with the command's usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
