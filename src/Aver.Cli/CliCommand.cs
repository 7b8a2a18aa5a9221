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
/// <param name="Interactive">Error is a terminal: progress bars redraw in place instead of printing lines.</param>
public sealed record CliContext(TextWriter Out, TextWriter Error, bool Interactive = false)
{
    /// <summary>Standard input's bytes (`aver live -`); tests hand in a stream of their own.</summary>
    public Func<Stream> Input { get; init; } = Console.OpenStandardInput;

    /// <summary>Cancelled when the user asks to stop (Ctrl-C) a command that can end cleanly (`aver live`).</summary>
    public CancellationToken Cancel { get; init; }

    /// <summary>Training progress for this context: live bars on a terminal, epoch lines otherwise.</summary>
    public Training.Training.ITrainingProgress TrainingProgress(string? prefix = null) =>
        new Progress.TrainingProgressBar(Error, Interactive, prefix);

    /// <summary>A bar over <paramref name="total"/> items (files, clips) on the error stream.</summary>
    public Progress.ProgressBar Bar(string label, int total) => new(Error, label, total, Interactive);
}

/// <summary>A command-line usage error: printed with the command's usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
