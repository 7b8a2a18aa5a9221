using Aver.Cli.Commands;
using Aver.Tensors;

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
    ];

    /// <summary>Exit codes: 0 success, 1 failure on input or data, 2 usage error, 3 internal error.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false)
    {
        var ctx = new CliContext(stdout, stderr, interactive);
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            stdout.WriteLine("aver — audio-video emotion recognition\n\nUsage: aver COMMAND [options]   (aver COMMAND --help for details)\n\nCommands:");
            foreach (var c in Commands) stdout.WriteLine($"  {c.Name,-12} {c.Summary}");
            stdout.WriteLine("\nGlobal options: --threads N (kernel and BLAS threads), --json (machine-readable output where offered)");
            return args.Length == 0 ? 2 : 0;
        }
        var cmd = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (cmd is null)
        {
            stderr.WriteLine($"aver: unknown command '{args[0]}'; see aver --help");
            return 2;
        }
        if (CpuFeatures.IsaEnvironmentError is { } isaError)
        {
            stderr.WriteLine($"aver: {isaError}");
            return 2;
        }
        try
        {
            var parsed = new CliArgs(args.Skip(1), FlagsOf(cmd));
            if (parsed.Flag("help")) { stdout.WriteLine(cmd.Help.TrimEnd()); return 0; }
            var threads = parsed.Int("threads", 0, min: 1, max: 256);
            if (threads > 0) Engine.Threads = threads;
            return cmd.Run(parsed, ctx);
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"aver {cmd.Name}: {e.Message}\n\n{cmd.Help.TrimEnd()}");
            return 2;
        }
        catch (Exception e) when (Inference.InputErrors.IsInputProblem(e))
        {
            stderr.WriteLine($"aver {cmd.Name}: error: {e.Message}");
            return 1;
        }
    }

    private static string[] FlagsOf(CliCommand cmd) => cmd is IHasFlags f ? f.Flags : [];
}

/// <summary>A command with options that take no value.</summary>
public interface IHasFlags
{
    string[] Flags { get; }
}
