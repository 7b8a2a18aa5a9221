using Aver.Tensors.IO;

namespace Aver.Tensors.Tests.IO;

public class AtomicFileTests
{
    [Theory]
    [InlineData("/proc/aver-report.csv")]            // /proc takes no new files ("Could not find file" before)
    [InlineData("/proc/aver-no-such/report.csv")]
    public void AnUnwritableOutputIsNamedAsTheUserGaveIt(string path)
    {
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.StartsWith($"cannot write {path}: ", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.DoesNotContain("Could not find file", e.Message);
    }
}
