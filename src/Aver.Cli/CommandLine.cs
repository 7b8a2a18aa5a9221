using System.Runtime.CompilerServices;
using Aver.Cli.Commands;
using Aver.Tensors;

[assembly: InternalsVisibleTo("Aver.Cli.Tests")]

namespace Aver.Cli;

/// <summary>Dispatches `aver COMMAND ...` and turns failures into one clear line and an exit code.</summary>
public static class CommandLine
{
    /// <summary>Every command, in the order `aver --help` lists them.</summary>
    public static IReadOnlyList<CliCommand> Commands { get; } =
    [
        new InfoCommand(),
        new DemoCommand(),
        new PretrainCommand(),
        new EvaluateCommand(),
        new DatasetsCommand(),
        new SplitsCommand(),
        new FacesCommand(),
        new FeaturesCommand(),
        new PredictCommand(),
        new ServeCommand(),
        new BuildModelCommand(),
        new ScoreCommand(),
        new UpgradeModelCommand(),
        new SampleCommand(),
        new LiveCommand(),
    ];

    /// <summary>Exit codes: 0 success, 1 failure on input or data, 2 usage error, 3 internal error.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false) =>
        Run(args, new CliContext(stdout, stderr, interactive));

    /// <summary>Runs `aver ARGS` in <paramref name="ctx"/> (its standard input and cancellation as well as its writers).</summary>
    public static int Run(string[] args, CliContext ctx)
    {
        TextWriter stdout = ctx.Out, stderr = ctx.Error;
        if (args.Length == 0 || args[0] is "--help" or "-h") { WriteUsage(stdout); return 0; }
        if (args[0] is "--version" or "version") { stdout.WriteLine(BuildInfo.Text); return 0; }
        if (args[0] == "help") return Help(args.Skip(1).ToArray(), stdout, stderr);
        var cmd = Find(args[0]);
        if (cmd is null)
        {
            stderr.WriteLine($"aver: unknown command '{args[0]}'; see aver --help");
            return 2;
        }
        if ((CpuFeatures.IsaEnvironmentError ?? Engine.PrecisionEnvironmentError) is { } environmentError)
        {
            stderr.WriteLine($"aver: {environmentError}");
            return 2;
        }
        return Dispatch(cmd, args.Skip(1).ToArray(), ctx);
    }

    /// <summary>Runs <paramref name="cmd"/> with the arguments after its name, mapping every exception to an exit code.</summary>
    internal static int Dispatch(CliCommand cmd, string[] rest, CliContext ctx)
    {
        var precision = Engine.Precision;   // a command's --precision lasts as long as the command (tests run many in one process)
        try
        {
            var parsed = new CliArgs(rest, FlagsOf(cmd));
            if (parsed.Flag("help")) { ctx.Out.WriteLine(cmd.Help.TrimEnd()); return 0; }
            var threads = parsed.Int("threads", 0, min: 1, max: 256);
            if (threads > 0) Engine.Threads = threads;
            if (parsed.Option("precision") is { } name)
                Engine.Precision = Engine.ParsePrecision(name, out var chosen) is { } why
                    ? throw new UsageException($"--precision {name}: {why}")
                    : chosen;
            return cmd.Run(parsed, ctx);
        }
        catch (UsageException e)
        {
            ctx.Error.WriteLine($"aver {cmd.Name}: {e.Message}\n\n{cmd.Help.TrimEnd()}");
            return 2;
        }
        catch (Exception e) when (IsInputError(Unwrap(e)))
        {
            ctx.Error.WriteLine($"aver {cmd.Name}: error: {Unwrap(e).Message}");
            return 1;
        }
        catch (Exception e)
        {
            // A defect of Aver, not of the input: one line for the user, the stack trace in a log for the bug report.
            var log = CrashLog.Write(cmd.Name, rest, e);
            ctx.Error.WriteLine($"aver {cmd.Name}: internal error: {CrashLog.FirstLine(e.Message)} ({e.GetType().Name}); details in {log ?? "(no log could be written)"}");
            return 3;
        }
        finally { Engine.Precision = precision; }
    }

    /// <summary>Input, data and environment failures the user can act on (exit code 1), as opposed to defects of Aver.</summary>
    internal static bool IsInputError(Exception e) =>
        Inference.InputErrors.IsInputProblem(e) || e is Aver.Models.Svm.LibSvmUnavailableException;

    /// <summary>The exception a static initialiser (e.g. a native library's loader) wrapped.</summary>
    private static Exception Unwrap(Exception e) => e is TypeInitializationException { InnerException: { } inner } ? Unwrap(inner) : e;

    private static CliCommand? Find(string name) => Commands.FirstOrDefault(c => c.Name == name);

    /// <summary>`aver help [COMMAND]`: the general usage, or a command's own help as `aver COMMAND --help` prints it.</summary>
    private static int Help(string[] rest, TextWriter stdout, TextWriter stderr)
    {
        if (rest.Length == 0) { WriteUsage(stdout); return 0; }
        if (Find(rest[0]) is not { } cmd)
        {
            stderr.WriteLine($"aver help: unknown command '{rest[0]}'; see aver --help");
            return 2;
        }
        stdout.WriteLine(cmd.Help.TrimEnd());
        return 0;
    }

    private static void WriteUsage(TextWriter stdout)
    {
        stdout.WriteLine("aver — audio-video emotion recognition\n\nUsage: aver COMMAND [options]   (aver COMMAND --help or aver help COMMAND for details)\n\nCommands:");
        foreach (var c in Commands) stdout.WriteLine($"  {c.Name,-12} {c.Summary}");
        stdout.WriteLine("\nGlobal options: --threads N (kernel and BLAS threads), --precision fp32|bf16 (bf16 inputs for the large matrix products, on CPUs with AVX512_BF16), --json (machine-readable output where offered)");
        stdout.WriteLine("aver --version prints the version and commit. Exit codes: 0 success, 1 bad input or data, 2 usage error, 3 internal error.");
    }

    private static string[] FlagsOf(CliCommand cmd) => cmd is IHasFlags f ? f.Flags : [];
}

/// <summary>A command with options that take no value.</summary>
public interface IHasFlags
{
    string[] Flags { get; }
}
