using System.Text.RegularExpressions;
using Aver.Models.Svm;

namespace Aver.Cli.Tests;

/// <summary>The conventions every command shares: help both ways, --version, exit codes, errors on stderr.</summary>
public class CommandLineTests
{
    [Fact]
    public void AverAlonePrintsTheUsageAndSucceeds()
    {
        var (code, output, err) = CliRun.Run();
        Assert.Equal(0, code);
        Assert.Contains("Usage: aver COMMAND", output);
        Assert.Equal("", err);
    }

    [Fact]
    public void HelpWorksBothWaysForEveryCommand()
    {
        foreach (var cmd in CommandLine.Commands)
        {
            var viaHelp = CliRun.Run("help", cmd.Name);
            var viaFlag = CliRun.Run(cmd.Name, "--help");
            var viaShort = CliRun.Run(cmd.Name, "-h");
            Assert.Equal(0, viaHelp.Code);
            Assert.Equal(viaFlag, viaHelp);
            Assert.Equal(viaFlag, viaShort);
            Assert.StartsWith($"aver {cmd.Name}", viaHelp.Out);
        }
        Assert.Equal(2, CliRun.Run("help", "nosuch").Code);
    }

    [Fact]
    public void VersionPrintsTheVersionAndTheCommit()
    {
        var (code, output, _) = CliRun.Run("--version");
        Assert.Equal(0, code);
        Assert.Matches(new Regex(@"^aver \d+\.\d+\.\d+\S* \(commit ([0-9a-f]{7,12}|unknown)\)\n?$"), output.Replace("\r", ""));
    }

    private sealed class Throwing(Exception e) : CliCommand
    {
        public override string Name => "boom";
        public override string Summary => "throws";
        public override string Help => "aver boom";
        public override int Run(CliArgs args, CliContext context) => throw e;
    }

    private static (int Code, string Out, string Err) Dispatch(Exception e)
    {
        var (o, err) = (new StringWriter(), new StringWriter());
        int code = CommandLine.Dispatch(new Throwing(e), [], new CliContext(o, err));
        return (code, o.ToString(), err.ToString());
    }

    [Fact]
    public void AnInternalErrorExitsWith3AndOneLineNamingALogWithTheDetails()
    {
#pragma warning disable CA2201 // a defect is what this test simulates
        var (code, output, err) = Dispatch(new NullReferenceException("a defect\nsecond line"));
#pragma warning restore CA2201
        Assert.Equal(3, code);
        Assert.Equal("", output);
        var line = Assert.Single(err.TrimEnd().Split('\n'));
        Assert.StartsWith("aver boom: internal error: a defect (NullReferenceException); details in ", line);
        var log = line[(line.IndexOf("details in ", StringComparison.Ordinal) + "details in ".Length)..];
        try { Assert.Contains("NullReferenceException", File.ReadAllText(log)); }
        finally { File.Delete(log); }
    }

    [Fact]
    public void AMissingLibsvmIsOneLineAndExitCode1()
    {
        var (code, _, err) = Dispatch(new LibSvmUnavailableException("LIBSVM not found (tried libsvm.so.3): run ./setup.sh"));
        Assert.Equal(1, code);
        Assert.Equal("aver boom: error: LIBSVM not found (tried libsvm.so.3): run ./setup.sh", err.TrimEnd());
    }
}

public class DependencyTests
{
    [Fact]
    public void TheCliCarriesNoPackageItDoesNotUse()
    {
        // Spectre.Console was referenced and never used: every package is code to audit and ship.
        var deps = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Aver.Cli.Tests.deps.json"));
        Assert.DoesNotContain("Spectre.Console", deps);
    }
}
