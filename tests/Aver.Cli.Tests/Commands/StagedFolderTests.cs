using Aver.Cli.Commands;

namespace Aver.Cli.Tests.Commands;

/// <summary>Output folders: written whole or not at all, never two runs mixed, leftovers of killed runs removed.</summary>
public sealed class StagedFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aver-staged-").FullName;
    private string Target => Path.Combine(_root, "out");
    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Run(string file, bool force = false)
    {
        using var stage = new StagedFolder(Target, force);
        File.WriteAllText(stage.File(file), file);
        stage.Commit();
    }

    private string[] Names() => Directory.GetFiles(Target).Select(f => Path.GetFileName(f)!).Order().ToArray()!;

    [Fact]
    public void ASecondRunIntoAFullFolderIsRefusedBeforeItStartsAndForceReplacesItWhole()
    {
        Run("a.csv");
        var e = Assert.Throws<IOException>(() => Run("b.csv"));
        Assert.Equal($"{Target} already holds files; give another --out or --force to replace it", e.Message);
        Assert.Equal(["a.csv"], Names());
        Run("b.csv", force: true);
        Assert.Equal(["b.csv"], Names());   // replaced, not merged
        Assert.Equal(["out"], Directory.GetFileSystemEntries(_root).Select(f => Path.GetFileName(f)!).ToArray());
    }

    [Fact]
    public void OfTwoConcurrentRunsTheSecondToFinishIsRefusedAndNothingIsMixed()
    {
        using var first = new StagedFolder(Target);
        using var second = new StagedFolder(Target);
        File.WriteAllText(first.File("a.csv"), "a");
        File.WriteAllText(second.File("b.csv"), "b");
        first.Commit();
        var e = Assert.Throws<IOException>(second.Commit);
        Assert.Contains(Target, e.Message);
        Assert.Equal(["a.csv"], Names());
    }

    [Fact]
    public void StagingFoldersOfKilledRunsAreRemovedAndThoseOfLiveRunsKept()
    {
        var dead = Directory.CreateDirectory(Path.Combine(_root, $".out.{int.MaxValue}.0123.tmp")).FullName;
        var live = Directory.CreateDirectory(Path.Combine(_root, $".out.{Environment.ProcessId}.4567.tmp")).FullName;
        Run("a.csv");
        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(live));
    }

    [Fact]
    public void AFolderThatCannotBeMadeIsNamedAsTheUserGaveIt()
    {
        var e = Assert.Throws<IOException>(() => new StagedFolder("/proc/aver-no-such/out"));
        Assert.StartsWith("cannot write /proc/aver-no-such/out: ", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
    }
}
